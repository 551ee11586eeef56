// The gateway address for a context's Knative Service URLs, asked before each send, view or rollout probe: the local
// playground's own (its KIngress), else the one discovered from the cluster (ingress-gateway.ts), remembered for a
// minute per context so a burst of calls reads the cluster once. A failed discovery counts as "none known" (the
// request then goes to the URL itself and fails with the cluster-local name the user can see).
import type { DiscoveredGateway } from './ingress-gateway';

export interface GatewayResolverOptions {
  /** The playground's gateway when `context` is the playground's, else undefined. */
  playgroundGateway: (context: string) => string | null | undefined;
  discover: (context: string) => Promise<DiscoveredGateway>;
  ttlMs?: number;
  now?: () => number;
}

export class GatewayResolver {
  private readonly known = new Map<string, { at: number; gateway: Promise<string | null> }>();

  constructor(private readonly options: GatewayResolverOptions) {}

  resolve(context: string): Promise<string | null> {
    const playground = this.options.playgroundGateway(context);
    if (playground !== undefined) return Promise.resolve(playground);
    const now = (this.options.now ?? Date.now)();
    const cached = this.known.get(context);
    if (cached && now - cached.at < (this.options.ttlMs ?? 60_000)) return cached.gateway;
    const gateway = this.options.discover(context).then(
      (found) => found.address,
      () => null,
    );
    this.known.set(context, { at: now, gateway });
    return gateway;
  }
}
