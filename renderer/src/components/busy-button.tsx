// A button for one engine call: disabled while the call runs, saying what it is doing meanwhile, so a second click
// cannot start the same work twice.
import type { ReactNode } from 'react';

export function BusyButton({
  busy,
  busyLabel,
  onClick,
  testId,
  primary = false,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  onClick: () => void;
  testId?: string;
  primary?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={primary ? 'btn primary' : 'btn'}
      data-testid={testId}
      disabled={busy}
      onClick={onClick}
    >
      {busy ? busyLabel : children}
    </button>
  );
}
