// The Deploy step's "Diff with cluster" answer: per object, what the apply would do and the unified diff, plus what
// the server's dry run adds (defaults, admission webhooks) under a disclosure.
import type { ResponseOf } from '../../../../electron/common/contract';
import { Badge, type BadgeTone } from '../../components/badge';
import { refKey } from './deploy-run';

type DiffAnswer = ResponseOf<'deploy:diff'>;

function actionTone(action: DiffAnswer['objects'][number]['action']): BadgeTone {
  if (action === 'create') return 'info';
  if (action === 'update') return 'warn';
  return 'neutral';
}

export function ObjectDiffList({ diff }: { diff: DiffAnswer }) {
  return (
    <div style={{ marginTop: 12 }} data-testid="deploy-diff">
      <h3>Diff against the cluster</h3>
      {diff.objects.map((object) => (
        <div key={refKey(object.ref)} style={{ marginBottom: 8 }}>
          <div className="row">
            <strong>
              {object.ref.kind}/{object.ref.name}
            </strong>
            <Badge tone={actionTone(object.action)}>{object.action}</Badge>
          </div>
          {object.diff ? <DiffLines text={object.diff} /> : null}
          {object.serverDefaults ? (
            <details data-testid="deploy-server-defaults">
              <summary>Added by the server&apos;s dry run (defaults and admission webhooks)</summary>
              <DiffLines text={object.serverDefaults} />
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** The engine's unified diff, coloured by line. */
function DiffLines({ text }: { text: string }) {
  return (
    <pre className="diff mono">
      {text.split('\n').map((line, index) => (
        <span
          key={index}
          className={`line ${line.startsWith('+') && !line.startsWith('+++') ? 'added' : line.startsWith('-') && !line.startsWith('---') ? 'removed' : ''}`}
        >
          {line}
        </span>
      ))}
    </pre>
  );
}
