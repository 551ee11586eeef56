// Every screen starts with this: an h1 that takes focus on navigation (tabIndex -1) and a one-line purpose.
import type { ReactNode } from 'react';

export function ScreenHeader({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children?: ReactNode;
}) {
  return (
    <div className="screen-header">
      <h1 tabIndex={-1}>{title}</h1>
      <span className="muted">{subtitle}</span>
      {children}
    </div>
  );
}
