// Small status pill. Tone carries the meaning in colour; the text always says it too (never colour alone).
export type BadgeTone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge({ tone, children, title }: { tone: BadgeTone; children: string; title?: string }) {
  return (
    <span className={`badge ${tone}`} title={title}>
      {children}
    </span>
  );
}

/** Kubernetes condition status → tone. */
export function conditionTone(status: 'True' | 'False' | 'Unknown'): BadgeTone {
  if (status === 'True') return 'ok';
  if (status === 'False') return 'bad';
  return 'warn';
}

/** A state → its tone from a table (states not in it are neutral), instead of a chain of ternaries per badge. */
export function toneFor<S extends string>(state: S, tones: Partial<Record<S, BadgeTone>>): BadgeTone {
  return tones[state] ?? 'neutral';
}
