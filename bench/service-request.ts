// node:http requests to a Knative Service URL, for the benches that load a playground's Services. Knative's
// URLs are cluster-local (`http://<svc>.<ns>.svc.cluster.local`): a client on the host reaches them through the
// playground's KIngress gateway (`ingress` in `up --json`) with the Service's host as Host, as the console does
// (electron/backend/net/service-target.ts). The gateway listens on 127.0.0.1.
import http, { type Agent, type RequestOptions } from 'node:http';
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

/**
 * POSTs a JSON body to a Service URL (through the gateway, as above) over `agent`; never rejects: a failed or timed-out
 * request resolves as status 0 with the error's message as the body.
 */
export function postJson(
  url: string,
  gateway: string | undefined,
  body: string,
  options: { agent: Agent; timeoutMs: number },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const target = serviceRequestOptions(url, gateway);
    const request = http.request(
      {
        ...target,
        method: 'POST',
        agent: options.agent,
        timeout: options.timeoutMs,
        headers: {
          ...target.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', () => resolve({ status: 0, body: 'response error' }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
    request.end(body);
  });
}
