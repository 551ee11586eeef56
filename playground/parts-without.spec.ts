// `up --without`: a named part goes with every part that needs it, a name already gone with an earlier one is not
// an error (the list may name a part and its dependents), and a name that is no part at all is refused by name.
import { describe, expect, it } from 'vitest';
import type { Part } from './parts/part';
import { partsWithout } from './playground';

const part = (name: string, dependsOn: string[] = []) => ({ name, dependsOn }) as unknown as Part;
const all = [
  part('etcd'),
  part('kube-apiserver', ['etcd']),
  part('kafka'),
  part('net', ['kube-apiserver']),
  part('autoscaler', ['net']),
  part('kafka-source', ['kafka', 'kube-apiserver']),
];
const names = (parts: readonly Part[]) => parts.map((p) => p.name);

describe('partsWithout', () => {
  it('leaves out a part and, transitively, the parts that need it', () => {
    expect(names(partsWithout(all, ['net']))).toEqual(['etcd', 'kube-apiserver', 'kafka', 'kafka-source']);
    expect(names(partsWithout(all, ['kafka']))).toEqual(['etcd', 'kube-apiserver', 'net', 'autoscaler']);
  });

  it('accepts a name that already went with an earlier one, in any order', () => {
    expect(names(partsWithout(all, ['net', 'autoscaler', 'kafka', 'kafka-source']))).toEqual([
      'etcd',
      'kube-apiserver',
    ]);
    expect(names(partsWithout(all, ['autoscaler', 'net']))).toEqual([
      'etcd',
      'kube-apiserver',
      'kafka',
      'kafka-source',
    ]);
  });

  it('refuses a name that is no part, naming the parts there are', () => {
    expect(() => partsWithout(all, ['runtime'])).toThrow(
      'no playground part is called runtime (parts: etcd, kube-apiserver, kafka, net, autoscaler, kafka-source)',
    );
  });
});
