// Where the parts go when Connect is left at "All namespaces": the Deploy screen cannot deploy into "all", so it says
// which namespace it will use (`default`, as before) and lets the user pick another, instead of silently deploying
// into `default` while the top bar says "all namespaces". With a namespace chosen on Connect, that one is used.
import { useState } from 'react';
import { useSession } from '../../app/session';
import { useOperation } from '../../engine/engine-context';
import { Options } from '../../forms/options';

export const fallbackNamespace = 'default';

/** The namespace a deploy goes to, and whether the user still has to be shown that choice (Connect says "all"). */
export function useTargetNamespace(): {
  namespace: string;
  chosenOnConnect: boolean;
  choose: (namespace: string) => void;
} {
  const { session } = useSession();
  const [chosen, choose] = useState(fallbackNamespace);
  return session.namespace
    ? { namespace: session.namespace, chosenOnConnect: true, choose }
    : { namespace: chosen, chosenOnConnect: false, choose };
}

/** What a screen that follows one namespace shows while Connect says "all namespaces": the choice and its setter. */
export interface NamespaceChoice {
  choices: readonly string[];
  follow: (namespace: string) => void;
}

/**
 * The namespace the Monitor and Eventing follow while Connect says "all namespaces": `default` (where Deploy puts the
 * parts then) until the user picks another of the context's namespaces.
 */
export function useFollowedNamespace(context: string): {
  namespace: string;
  namespaceChoice: NamespaceChoice;
} {
  const [namespace, follow] = useState(fallbackNamespace);
  const choices = useNamespaceChoices(context, namespace);
  return { namespace, namespaceChoice: { choices, follow } };
}

/** The context's namespaces to choose from, with `current` first when the cluster does not list it (yet). */
export function useNamespaceChoices(context: string, current: string): string[] {
  const namespaces = useOperation('clusters:namespaces', { context }, `ns:${context}`);
  const names = namespaces.data?.namespaces.map((n) => n.name) ?? [];
  return names.includes(current) ? names : [current, ...names];
}

export function TargetNamespace({
  context,
  namespace,
  onChoose,
  disabled,
}: {
  context: string;
  namespace: string;
  onChoose: (namespace: string) => void;
  disabled: boolean;
}) {
  const options = useNamespaceChoices(context, namespace);
  return (
    <div className="panel row" data-testid="deploy-target-namespace">
      <label htmlFor="deploy-namespace">Deploy into namespace</label>
      <select
        id="deploy-namespace"
        data-testid="deploy-namespace-select"
        value={namespace}
        disabled={disabled}
        onChange={(event) => onChoose(event.target.value)}
      >
        <Options choices={options} />
      </select>
      <span className="muted">
        Connect is set to all namespaces; a deploy needs one. Choose a namespace on Connect to use it
        everywhere.
      </span>
    </div>
  );
}
