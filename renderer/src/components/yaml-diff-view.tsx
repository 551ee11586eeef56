// Shows what applying a manifest would change against what the cluster has now (or everything added on a first
// deploy). Line numbers are kept so a user can match an API error's field path to the YAML.
import { useMemo } from 'react';
import { diffLines, diffSummary } from '../../../electron/common/line-diff';

export function YamlDiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = useMemo(() => diffLines(before, after), [before, after]);
  const summary = diffSummary(lines);
  return (
    <div>
      <div className="muted" aria-live="polite">
        {label}: +{summary.added} / −{summary.removed} lines
        {summary.added === 0 && summary.removed === 0 ? ' (no change)' : ''}
      </div>
      <pre className="diff mono" aria-label={label}>
        {lines.map((line, index) => {
          const sign = line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' ';
          return (
            <span key={index} className={`line ${line.kind}`}>
              {sign} {line.text}
            </span>
          );
        })}
      </pre>
    </div>
  );
}
