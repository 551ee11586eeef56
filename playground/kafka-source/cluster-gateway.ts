// Where the KafkaSource dispatcher opens connections to cluster-local sinks: the gateway the KIngress names in
// `<dir>/runtime.json` `ingress` (its internal gateway), as cluster DNS would route a dispatcher pod's request. Read again on every
// refresh(), so a gateway restarted on a new port is followed; host and port are read per delivery.
import { readFileSync } from 'node:fs';
import { runtimeFilePath } from '../info';
import type { ClusterGateway } from './kafka-source-reconciler';

export class GatewayFromRuntimeFile implements ClusterGateway {
  host = '127.0.0.1';
  port = 0;

  constructor(
    private readonly dir: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** True when runtime.json names a gateway (the address is updated if it changed); false while it does not. */
  refresh(): boolean {
    let url: URL;
    try {
      const runtime = JSON.parse(readFileSync(runtimeFilePath(this.dir), 'utf8')) as { ingress?: unknown };
      if (typeof runtime.ingress !== 'string') return false;
      url = new URL(runtime.ingress);
    } catch {
      return false; // absent, being rewritten, or not a URL: keep the last known address
    }
    const port = Number(url.port || 80);
    if (url.hostname !== this.host || port !== this.port) {
      this.log(`cluster gateway: ${url.hostname}:${port}`);
      this.host = url.hostname;
      this.port = port;
    }
    return true;
  }
}
