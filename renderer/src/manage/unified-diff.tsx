// A unified diff as the engine computes it (live → after the server's dry run), one coloured line per line.
export function UnifiedDiff({ diff, label }: { diff: string; label: string }) {
  if (!diff.trim()) return <p className="muted">{label}: no change.</p>;
  const lines = diff.split('\n');
  const added = lines.filter((line) => line.startsWith('+') && !line.startsWith('+++')).length;
  const removed = lines.filter((line) => line.startsWith('-') && !line.startsWith('---')).length;
  return (
    <div>
      <div className="muted">
        {label}: +{added} / −{removed} lines
      </div>
      <pre className="diff mono" aria-label={label}>
        {lines.map((line, index) => (
          <span
            key={index}
            className={`line ${
              line.startsWith('+++') || line.startsWith('---')
                ? 'same'
                : line.startsWith('+')
                  ? 'added'
                  : line.startsWith('-')
                    ? 'removed'
                    : 'same'
            }`}
          >
            {line}
          </span>
        ))}
      </pre>
    </div>
  );
}
