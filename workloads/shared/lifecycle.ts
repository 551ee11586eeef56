// Start-up and shutdown shared by the barrage entry points: listen on PORT, print one line when ready, and on
// SIGTERM/SIGINT (Knative scales a pod down with SIGTERM) stop accepting, let requests in flight finish, then
// close resources.
import type { Server } from 'node:http';

export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

export function closeOnSignals(server: Server, cleanup: () => Promise<void>, graceMs = 10_000): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: draining\n`);
    const timer = setTimeout(() => process.exit(0), graceMs);
    timer.unref();
    server.close(() => {
      void cleanup().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Prints a configuration or start-up error as one clear line and exits non-zero (no stack for known errors). */
export function exitWithError(error: unknown): never {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
