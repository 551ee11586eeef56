// A GET through a playground's KIngress gateway with a Service's host in the Host header, as the console reaches a
// Service (node:http, because fetch cannot set Host).
import http from 'node:http';

export function viaGateway(
  gateway: string,
  host: string,
  path = '/',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${gateway}${path}`, { headers: { host }, timeout: 60_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${gateway} for ${host}`)));
    request.on('error', reject);
  });
}
