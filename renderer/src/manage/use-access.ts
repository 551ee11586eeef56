// What the user may do in a namespace, from the engine's SelfSubjectAccessReviews: each action button is disabled
// with the reason as its title (and said in words next to it) instead of failing after a click.
import type { ManageAction } from '../../../electron/common/schemas/manage';
import { useOperation } from '../engine/engine-context';

export interface Access {
  loading: boolean;
  can: (action: ManageAction) => boolean;
  /** Why not, in a sentence; null when allowed or not known yet. */
  whyNot: (action: ManageAction) => string | null;
}

export function useAccess(context: string, namespace: string): Access {
  const access = useOperation('manage:access', { context, namespace }, `access:${context}:${namespace}`);
  const actions = access.data?.actions;
  return {
    loading: access.loading,
    // Unknown (still checking, or the check failed) counts as allowed: the server still decides, and says why.
    can: (action) => actions?.[action]?.allowed ?? true,
    whyNot: (action) =>
      actions && actions[action] && !actions[action].allowed ? actions[action].reason : null,
  };
}
