// node:http request options for a Knative Service URL, for the benches that load a playground's Services. Knative's
// URLs are cluster-local (`http://<svc>.<ns>.svc.cluster.local`): a client on the host reaches them through the
// playground's KIngress gateway (`ingress` in `up --json`) with the Service's host as Host, as the console does
// (electron/backend/net/service-target.ts). The gateway listens on 127.0.0.1.
import type { RequestOptions } from 'node:http';
import { serviceTarget } from '../electron/backend/net/service-target';

export function serviceRequestOptions(
  url: string,
  gateway: string | undefined,
): Pick<RequestOptions, 'host' | 'port' | 'path' | 'headers'> {
  const target = serviceTarget(url, gateway);
  const connect = new URL(target.url);
  return {
    host: connect.hostname,
    port: connect.port,
    path: `${connect.pathname}${connect.search}`,
    headers: target.hostHeader ? { host: target.hostHeader } : {},
  };
}
