// What a screen shows instead of itself while the Connect screen's choices it follows (context, namespace, Kafka
// profile) are not made yet: its header, and what to choose where.
import type { ReactNode } from 'react';
import { ScreenHeader } from './screen-header';
import { EmptyState } from './state-views';

export function ChooseFirst({
  title,
  subtitle,
  choose,
  children,
}: {
  title: string;
  subtitle: string;
  /** What is missing, as the empty state's title. */
  choose: string;
  children: ReactNode;
}) {
  return (
    <section>
      <ScreenHeader title={title} subtitle={subtitle} />
      <EmptyState title={choose}>{children}</EmptyState>
    </section>
  );
}
