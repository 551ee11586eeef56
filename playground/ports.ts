// Free TCP ports on 127.0.0.1. Nothing assumes 6443/9092 are free: ports are chosen when a part starts, and a part
// that still loses the race (someone binds the port between our check and its start) is restarted on new ones.
import { createServer } from 'node:net';

/** Resolves true when nothing listens on 127.0.0.1:port right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel considers free now (bind to 0, read it back, release). */
export function randomFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel gave no free port'))));
    });
  });
}

/**
 * Picks one free port per role. A restarted part asks for its previous ports first, so the kubeconfig and the
 * broker list other tools hold stay valid; any that is taken now is replaced by a random free one. `avoid` keeps
 * two roles from getting the same port.
 */
export async function pickPorts<R extends string>(
  roles: readonly R[],
  preferred: Partial<Record<string, number>> = {},
  avoid: ReadonlySet<number> = new Set(),
): Promise<Record<R, number>> {
  const taken = new Set(avoid);
  const chosen = {} as Record<R, number>;
  for (const role of roles) {
    const wish = preferred[role];
    let port = wish !== undefined && !taken.has(wish) && (await isPortFree(wish)) ? wish : undefined;
    while (port === undefined || taken.has(port)) port = await randomFreePort();
    taken.add(port);
    chosen[role] = port;
  }
  return chosen;
}
