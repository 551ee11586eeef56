// Where the engine sends a request for a Knative Service URL. Knative's default domain makes every URL cluster-local
// (`http://<service>.<ns>.svc.cluster.local`): a name only the cluster resolves. A console outside the cluster
// reaches such a Service the way a cluster's own clients do: through the ingress gateway, with the Service's name in
// the Host header (as `curl -H "Host: …" <gateway>` in Knative's docs). `gateway` is that address for the context in
// use (the local playground's `ingress`, its KIngress internal gateway), null when none is known.
// Other URLs keep the `*.localhost` handling of loopback-names.ts.
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { loopbackAwareAgent, loopbackAwareLookup, loopbackTarget } from './loopback-names';

/** True for Kubernetes Service names only the cluster's DNS resolves (`x.ns.svc`, `x.ns.svc.cluster.local`). */
export function isClusterLocalName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  return name.endsWith('.svc') || name.endsWith('.svc.cluster.local');
}

/** The URL to connect to and the Host header to send (when it differs from the URL's own host). */
export function serviceTarget(
  url: string,
  gateway: string | null | undefined,
): { url: string; hostHeader?: string } {
  const parsed = new URL(url);
  if (!gateway || !isClusterLocalName(parsed.hostname)) return loopbackTarget(url);
  const via = new URL(gateway);
  const hostHeader = parsed.host;
  parsed.protocol = via.protocol;
  parsed.host = via.host;
  return { url: parsed.toString(), hostHeader };
}

const gatewayAgents = new Map<string, Agent>();

/**
 * An undici dispatcher for `fetch` that opens connections for cluster-local names to `gateway` (fetch drops a Host
 * header it is given, so the URL keeps the Service's name and only the socket goes elsewhere); other names resolve
 * as loopbackAwareAgent's do. One keep-alive pool per gateway address, for the engine's life.
 */
export function gatewayAwareAgent(gateway: string | null | undefined): Dispatcher {
  if (!gateway) return loopbackAwareAgent;
  let agent = gatewayAgents.get(gateway);
  if (!agent) {
    const via = new URL(gateway);
    const connect = buildConnector({ lookup: loopbackAwareLookup });
    const port = via.port || (via.protocol === 'https:' ? '443' : '80');
    agent = new Agent({
      connect: (options, callback) =>
        connect(
          isClusterLocalName(options.hostname)
            ? { ...options, hostname: via.hostname, host: via.host, port, protocol: via.protocol }
            : options,
          callback,
        ),
    });
    gatewayAgents.set(gateway, agent);
  }
  return agent;
}
