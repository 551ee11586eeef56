// The Barrage screen's HomePage candidates, best first. The first one is what Send uses when the user picks nothing,
// so it must be the HomePage the user just deployed, not whichever Service sorts first across namespaces:
// - the Service the route names (`#/barrage/<namespace>/<name>`, Deploy all's "Send barrage →"), when listed;
// - with Connect at "all namespaces", Services in `default` before the others, as the Deploy screen deploys there
//   and the Monitor follows it;
// - FC-class Services (where HomePage runs) before ECI ones, and names with "home" first.
// Each Service is followed by its tagged URLs (`<tag>-<name>…`: one revision each, e.g. to load a canary alone).
import type { WorkloadRow } from '../../../../electron/common/schemas/workloads';

export interface HomePageChoice {
  value: string;
  label: string;
  /** The Service behind the URL. */
  namespace: string;
  name: string;
}

export interface HomePagePreference {
  /** The namespace Connect is set to; absent at "all namespaces". */
  sessionNamespace?: string;
  /** The Service the route names. */
  routed?: { namespace: string; name: string };
}

/** A Service to rank: its kind is unknown while it is not listed yet. */
type Ranked = { name: string; kind?: WorkloadRow['kind'] };

/** FC-class Services (where HomePage runs) before ECI ones, then names with "home": a sort comparator. */
export function homePageFirst(a: Ranked, b: Ranked): number {
  return (
    Number(b.kind === 'FC') - Number(a.kind === 'FC') ||
    Number(b.name.includes('home')) - Number(a.name.includes('home'))
  );
}

/** The namespace the screens use when Connect is at "all namespaces" (the Deploy screen's target, the Monitor's). */
export const ALL_NAMESPACES_DEFAULT = 'default';

export function homePageChoices(rows: readonly WorkloadRow[], prefer: HomePagePreference): HomePageChoice[] {
  const isRouted = (row: WorkloadRow) =>
    prefer.routed !== undefined &&
    row.namespace === prefer.routed.namespace &&
    row.name === prefer.routed.name;
  const inDefault = (row: WorkloadRow) =>
    prefer.sessionNamespace === undefined && row.namespace === ALL_NAMESPACES_DEFAULT;
  return rows
    .filter((row) => row.url)
    .sort(
      (a, b) =>
        Number(isRouted(b)) - Number(isRouted(a)) ||
        Number(inDefault(b)) - Number(inDefault(a)) ||
        homePageFirst(a, b),
    )
    .flatMap((row) => [
      {
        value: row.url as string,
        label: `${row.name} (${row.kind}) — ${row.url}`,
        namespace: row.namespace,
        name: row.name,
      },
      ...row.traffic
        .filter((target) => target.tag && target.url)
        .map((target) => ({
          value: target.url as string,
          label: `${row.name} tag ${target.tag} → ${target.revisionName ?? '@latest'} — ${target.url}`,
          namespace: row.namespace,
          name: row.name,
        })),
    ]);
}

/** Whether the routed Service is listed with a URL yet (right after a deploy it has none for a few seconds). */
export function routedHasUrl(
  choices: readonly HomePageChoice[],
  routed: HomePagePreference['routed'],
): boolean {
  return (
    routed === undefined || choices.some((c) => c.namespace === routed.namespace && c.name === routed.name)
  );
}
