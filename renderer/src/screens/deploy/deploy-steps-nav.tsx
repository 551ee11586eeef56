// The numbered parts of the demo as steps; each shows what became of its last run (deployed, undeployed, failed).
import type { TemplateInfo } from '../../../../electron/common/schemas/deploy';
import { Badge, type BadgeTone } from '../../components/badge';
import type { PartOutcome } from './deploy-run';

const outcomeTone: Record<PartOutcome, BadgeTone> = { deployed: 'ok', failed: 'bad', undeployed: 'neutral' };

export function DeployStepsNav({
  ordered,
  currentId,
  outcomes,
  onChoose,
}: {
  ordered: readonly TemplateInfo[];
  currentId: string;
  outcomes: Readonly<Record<string, PartOutcome | undefined>>;
  onChoose: (id: string) => void;
}) {
  return (
    <nav aria-label="Deploy steps">
      <ol className="steps">
        {ordered.map((template, index) => {
          const outcome = outcomes[template.id];
          return (
            <li key={template.id}>
              <button
                type="button"
                data-testid={`step-${template.id}`}
                aria-current={template.id === currentId ? 'step' : undefined}
                onClick={() => onChoose(template.id)}
              >
                {index + 1}. {template.title}{' '}
                {outcome ? <Badge tone={outcomeTone[outcome]}>{outcome}</Badge> : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
