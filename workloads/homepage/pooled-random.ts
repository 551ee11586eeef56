// The random source of HomePage's barrage ids. ulid's own PRNG asks the OS for one byte per character: 16
// `getRandomValues` calls for each new id, 7 % of HomePage's CPU at 200 msg/s in a CPU profile of the e2e bench.
// This one hands out the same kind of value (a crypto-random byte / 256, in [0, 1)) from a pool that is refilled
// from the OS once every `poolBytes` draws; each byte is used once.
import { getRandomValues } from 'node:crypto';

export function pooledRandom(
  poolBytes = 4096,
  fill: (pool: Uint8Array) => void = (pool) => void getRandomValues(pool),
): () => number {
  const pool = new Uint8Array(poolBytes);
  let next = poolBytes;
  return () => {
    if (next >= poolBytes) {
      fill(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}
