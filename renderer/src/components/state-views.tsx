// The three non-data states every screen has: nothing there yet, waiting, and failed. One look everywhere, and
// each is announced to screen readers (status / alert roles).
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty" role="status">
      <div>
        <div className="title">{title}</div>
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <div>{label}</div>
    </div>
  );
}

export interface DisplayError {
  message: string;
  code?: string;
  /** Extra lines (field causes, request ids). */
  details?: string[];
}

export function ErrorState({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: DisplayError;
  onRetry?: () => void;
}) {
  return (
    <div className="state error" role="alert">
      <div>
        <div className="title">
          {title}
          {error.code ? (
            <span className="badge bad" style={{ marginLeft: 8 }}>
              {error.code}
            </span>
          ) : null}
        </div>
        <div>{error.message}</div>
        {error.details && error.details.length > 0 ? (
          <ul>
            {error.details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
        {onRetry ? (
          <button type="button" className="btn" onClick={onRetry}>
            Retry
          </button>
        ) : null}
      </div>
    </div>
  );
}
