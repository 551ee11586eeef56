// Readiness of one container process on 127.0.0.1, judged as the kubelet judges it for Knative: its
// readinessProbe.httpGet path answers 2xx/3xx, or (no probe) its port accepts a TCP connection (Knative's default
// readiness probe for a container port). Used by the FC instances to know when an instance can take invocations.
import http from 'node:http';
import net from 'node:net';

/** The container's readinessProbe.httpGet as a check: any 2xx/3xx answer on that path means ready. */
function httpReady(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, timeout: 1000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 400);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Ready as Knative judges a container: its readinessProbe.httpGet path answers 2xx/3xx, or (no probe) its port accepts. */
export function containerReady(port: number, readinessPath: string | undefined): Promise<boolean> {
  return readinessPath ? httpReady(port, readinessPath) : canConnect(port);
}
