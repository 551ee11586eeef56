// Deploy: the barrage demo's three parts in dependency order (processing → event-driven → HomePage). "Deploy all"
// runs the three in order with per-object progress (deploy/deploy-all-panel.tsx); the per-part steps remain, each
// with the parameter form, the rendered YAML, a diff against the cluster, apply and undeploy (deploy/deploy-step.tsx).
// The defaults come from where the console is connected (the engine fills them: the playground's brokers and store, a
// topic and consumer group per namespace); only fields the user edited keep their own value when that changes. This
// file holds what the parts share: the target namespace, the profiles, the form values and the steps' outcomes.
import { useMemo, useState } from 'react';
import type { TemplateInfo } from '../../../electron/common/schemas/deploy';
import { useSession } from '../app/session';
import { OperationStatus } from '../components/operation-status';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState } from '../components/state-views';
import { useOperation } from '../engine/engine-context';
import {
  initialFormValues,
  toParameterValues,
  validateAll,
  type FormValues,
} from '../forms/parameter-values';
import { DeployAllPanel } from './deploy/deploy-all-panel';
import type { PartOutcome } from './deploy/deploy-run';
import { DeployStep } from './deploy/deploy-step';
import { DeployStepsNav } from './deploy/deploy-steps-nav';
import { NamespaceOffer } from './deploy/namespace-offer';
import { ProfilePicker, profilesRequest, useDeployProfiles } from './deploy/profile-picker';
import { TargetNamespace, useTargetNamespace } from './deploy/target-namespace';
import { useDeployRun, type PartRequest } from './deploy/use-deploy-run';

/** Dependency order of the demo: processing must exist before the KafkaSource sinks to it, HomePage last. */
const partOrder = ['processing', 'event-driven', 'homepage'];

export function orderTemplates(templates: readonly TemplateInfo[]): TemplateInfo[] {
  const rank = (t: TemplateInfo) => {
    const index = partOrder.indexOf(t.id);
    return index === -1 ? partOrder.length : index;
  };
  return [...templates].sort((a, b) => rank(a) - rank(b));
}

export function DeployScreen() {
  const { session } = useSession();
  const context = session.context;
  const target = useTargetNamespace();
  const namespace = target.namespace;
  const [chosenProfiles, setChosenProfiles] = useDeployProfiles(context);
  const profiles = profilesRequest(chosenProfiles);
  // The defaults depend on where the parts go and on the profiles in use, so the templates are asked for again
  // when either changes.
  const templates = useOperation(
    'deploy:templates',
    { ...(context ? { context } : {}), namespace, ...(profiles ? { profiles } : {}) },
    `templates:${context ?? ''}:${namespace}:${profiles?.kafka ?? ''}:${profiles?.fc ?? ''}`,
  );
  const ordered = useMemo(() => orderTemplates(templates.data?.templates ?? []), [templates.data]);
  const [stepId, setStepId] = useState<string | null>(null);
  /** Only what the user typed; every other field shows the current default. */
  const [edited, setEdited] = useState<FormValues>({});
  const [outcome, setOutcome] = useState<Record<string, PartOutcome | undefined>>({});
  const current = ordered.find((t) => t.id === stepId) ?? ordered[0];
  const values = useMemo(
    () =>
      initialFormValues(
        ordered.flatMap((t) => t.parameters),
        edited,
      ),
    [ordered, edited],
  );
  const titles = useMemo(() => Object.fromEntries(ordered.map((t) => [t.id, t.title])), [ordered]);

  function requestFor(part: string): PartRequest | null {
    const template = ordered.find((t) => t.id === part);
    if (!template || !context) return null;
    if (Object.keys(validateAll(template.parameters, values)).length > 0) return null;
    return {
      context,
      templateId: template.id,
      namespace,
      parameters: toParameterValues(template.parameters, values),
      ...(profiles ? { profiles } : {}),
    };
  }
  const all = useDeployRun(requestFor);
  const [allInvalid, setAllInvalid] = useState<string | null>(null);
  const outcomes = { ...outcome, ...(all.run?.outcomes ?? {}) };

  function deployAll(): void {
    const invalid = ordered.find((t) => Object.keys(validateAll(t.parameters, values)).length > 0);
    if (invalid) {
      setAllInvalid(invalid.title);
      setStepId(invalid.id);
      return;
    }
    setAllInvalid(null);
    all.start(
      'apply',
      ordered.map((t) => t.id),
    );
  }
  const allRunning = all.run?.state === 'running';

  return (
    <section>
      <ScreenHeader
        title="Deploy"
        subtitle="The barrage demo: all at once, or part by part in dependency order"
      />
      {!context ? (
        <EmptyState title="Not connected">Choose a context on the Connect screen first.</EmptyState>
      ) : null}
      {session.access === 'read-only' ? (
        <div className="state error" role="alert" data-testid="read-only-warning">
          <div>
            <div className="title">Read-only context</div>
            {session.context} may list and watch but not create objects: the API server will refuse a deploy.
          </div>
        </div>
      ) : null}
      {context && !target.chosenOnConnect ? (
        <TargetNamespace
          context={context}
          namespace={namespace}
          onChoose={target.choose}
          disabled={allRunning}
        />
      ) : null}
      {context ? <NamespaceOffer context={context} namespace={namespace} /> : null}
      {context ? (
        // Outside the template panels: a remembered profile that was deleted since makes the templates fail to
        // load, and the picker must stay there to choose another.
        <ProfilePicker value={chosenProfiles} onChange={setChosenProfiles} disabled={allRunning} />
      ) : null}
      <OperationStatus operation={templates} loading="Loading templates…" failed="Could not load templates" />
      {templates.data && ordered.length === 0 ? <EmptyState title="The engine offers no templates" /> : null}
      {current ? (
        <>
          <DeployAllPanel
            ordered={ordered}
            context={context}
            namespace={namespace}
            titles={titles}
            run={all.run}
            invalidPart={allInvalid}
            canStart={Boolean(context && templates.data)}
            onDeployAll={deployAll}
          />
          <DeployStepsNav ordered={ordered} currentId={current.id} outcomes={outcomes} onChoose={setStepId} />
          <DeployStep
            key={current.id}
            template={current}
            context={context}
            namespace={namespace}
            profiles={profiles}
            values={values}
            titles={titles}
            onValue={(name, value) => setEdited((previous) => ({ ...previous, [name]: value }))}
            onOutcome={(result) => setOutcome((previous) => ({ ...previous, [current.id]: result }))}
            hasNext={ordered.indexOf(current) < ordered.length - 1}
            onNext={() => {
              const next = ordered.indexOf(current) + 1;
              if (ordered[next]) setStepId(ordered[next].id);
            }}
          />
        </>
      ) : null}
    </section>
  );
}
