// The Knative components' per-dir networks (parts/upstream-serving.ts): the names fit Linux's 15-character limit
// (with the `n` of the namespace end), no other playground sweep matches them, one dir's three /30s sit apart inside
// its /28, and two dirs get their own names. Endpoints: test/playground-upstream-side-by-side.int.test.ts.
import { describe, expect, it } from 'vitest';
import { nodeNetwork } from './virtual-node';
import { componentNetwork, NETWORKED_COMPONENTS } from './upstream-serving';

const subnetOf = (ip: string) => {
  const octets = ip.split('.').map(Number);
  return `${octets.slice(0, 3).join('.')}.${octets[3]! & 0xfc}`;
};

describe('the Knative components’ networks', () => {
  const dirs = ['/work/a/.test-playground-upstream', '/work/b/.test-playground-upstream', '/root/.cache/x'];

  it('names each namespace and veth kdk<8 hex>, short enough for its peer, and never like a node sweep prefix', () => {
    for (const dir of dirs) {
      for (const component of NETWORKED_COMPONENTS) {
        const net = componentNetwork(dir, component);
        expect(net.netns).toMatch(/^kdk[0-9a-f]{8}$/);
        expect(`${net.hostLink}n`.length).toBeLessThanOrEqual(15);
        // The virtual node sweeps `<prefix>-…` and `<prefix>v-…` for prefixes `kd` + up to 3 of [a-z0-9].
        expect(net.netns).not.toMatch(/^kd[a-z0-9]{0,3}v?-/);
        expect(net.netns.startsWith(`${nodeNetwork(dir).prefix}-`)).toBe(false);
      }
    }
  });

  it('puts one dir’s three /30s apart inside its /28, host end .1 and namespace end .2', () => {
    for (const dir of dirs) {
      const nets = NETWORKED_COMPONENTS.map((component) => componentNetwork(dir, component));
      expect(new Set(nets.map((net) => net.netns)).size).toBe(3);
      expect(new Set(nets.map((net) => subnetOf(net.nsIp))).size).toBe(3);
      for (const net of nets) {
        expect(net.block).toMatch(/^10\.215\.\d{1,3}\.\d{1,3}\/28$/);
        expect(subnetOf(net.hostIp)).toBe(subnetOf(net.nsIp));
        expect(Number(net.hostIp.split('.')[3]) % 4).toBe(1);
        expect(Number(net.nsIp.split('.')[3]) % 4).toBe(2);
        const base = Number(net.block.split('.')[3]!.split('/')[0]);
        const last = Number(net.nsIp.split('.')[3]);
        expect(net.nsIp.startsWith(net.block.split('.').slice(0, 3).join('.'))).toBe(true);
        expect(last - base).toBeGreaterThan(0);
        expect(last - base).toBeLessThan(16);
      }
    }
  });

  it('gives two dirs their own names, and the same dir the same ones', () => {
    const [a, b] = dirs.map((dir) => componentNetwork(dir, 'autoscaler'));
    expect(a!.netns).not.toBe(b!.netns);
    expect(componentNetwork(dirs[0]!, 'autoscaler')).toEqual(a);
  });
});
