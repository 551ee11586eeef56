// The gateway address for a context's Knative Service URLs, asked before each send, view or rollout probe. In order:
// 1. the address the user typed for that context on the Connect screen (a cluster whose networking layer the
//    console does not know, such as ASK's own gateway, or one reached through a port-forward);
// 2. on the local playground's context, the playground's own (its KIngress);
// 3. the one discovered from the cluster (ingress-gateway.ts), remembered for a minute per context so a burst of
//    calls reads the cluster once. A failed discovery counts as "none known" (the request then goes to the URL
//    itself and fails with the cluster-local name the user can see).
import type { GatewayInfo } from '../../common/schemas/clusters';
import type { DiscoveredGateway } from './ingress-gateway';

export interface GatewayResolverOptions {
  /** The address typed for `context`, if any. */
  typedGateway?: (context: string) => string | undefined;
  /** The playground's gateway when `context` is the playground's, else undefined. */
  playgroundGateway: (context: string) => string | null | undefined;
  discover: (context: string) => Promise<DiscoveredGateway>;
  ttlMs?: number;
  now?: () => number;
}

export class GatewayResolver {
  private readonly known = new Map<string, { at: number; found: Promise<DiscoveredGateway> }>();

  constructor(private readonly options: GatewayResolverOptions) {}

  /** The address for `context` (asked before every send, view and probe: reads the cluster only when needed). */
  async resolve(context: string): Promise<string | null> {
    const typed = this.options.typedGateway?.(context);
    if (typed) return typed;
    const playground = this.options.playgroundGateway(context);
    if (playground !== undefined) return playground;
    return (await this.discovered(context)).address;
  }

  /** Where requests for `context` go, why, and what discovery says (for the Connect screen). */
  async describe(context: string): Promise<GatewayInfo> {
    const typed = this.options.typedGateway?.(context) ?? null;
    const playground = this.options.playgroundGateway(context);
    const discovered = playground === undefined ? await this.discovered(context) : null;
    if (typed) return { context, address: typed, source: 'typed', typed, discovered };
    if (playground !== undefined) {
      return { context, address: playground, source: 'playground', typed, discovered };
    }
    return {
      context,
      address: discovered?.address ?? null,
      source: discovered?.address ? 'discovered' : 'none',
      typed,
      discovered,
    };
  }

  /** Forgets what was discovered for `context` (a re-check asks the cluster again). */
  forget(context: string): void {
    this.known.delete(context);
  }

  private discovered(context: string): Promise<DiscoveredGateway> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.known.get(context);
    if (cached && now - cached.at < (this.options.ttlMs ?? 60_000)) return cached.found;
    const found = this.options.discover(context).catch((error: unknown): DiscoveredGateway => ({
      address: null,
      reason: `discovery failed: ${error instanceof Error ? error.message : String(error)}`,
    }));
    this.known.set(context, { at: now, found });
    return found;
  }
}
