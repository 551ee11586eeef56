// Proof that upstream Knative Serving's admission webhook runs as a playground part (issue 9), checked with kubectl:
// an invalid Service is refused by validation.webhook.serving.knative.dev, a valid one is defaulted by
// webhook.serving.knative.dev (creator/lastModifier, container name, concurrency, timeout, traffic), and a
// server-side dry run meets the same webhooks.
//
// It brings up a private playground of its own in a temp dir with only etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and the webhook (the default `up` runs the same part, see playground/parts/index.ts), so it can
// also check that `down` removes the interface the part made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundInfo } from '../playground/info';
import { downPlayground, upPlayground } from '../playground/playground';
import { etcdPart } from '../playground/parts/etcd';
import { kubeApiserverPart } from '../playground/parts/kube-apiserver';
import { kubeControllerManagerPart, kubeSchedulerPart } from '../playground/parts/kube-controllers';
import { knativeWebhookPart, serviceInterface } from '../playground/parts/knative-serving';
import { probeKsvc } from './support/probe-ksvc';
import { kubectl } from './support/kubectl';
import { uniqueName } from './support/unique';

const root = mkdtempSync(join(tmpdir(), 'knd-webhook-'));
const dir = join(root, 'playground');
const parts = [etcdPart, kubeApiserverPart, kubeControllerManagerPart, kubeSchedulerPart, knativeWebhookPart];
const options = { dir, parts, progress: (message: string) => process.stderr.write(`[webhook] ${message}\n`) };
let playground: PlaygroundInfo;

const links = () => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });

beforeAll(async () => {
  playground = (await upPlayground(options)).info;
}, 600_000);

afterAll(async () => {
  await downPlayground(options).catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

const service = (name: string, annotations: Record<string, string> = {}) =>
  JSON.stringify(probeKsvc(name, 'default', { annotations }));

describe('the Knative Serving webhook part', () => {
  it('refuses min-scale "-1" with the upstream validation webhook, also on a server-side dry run', async () => {
    const invalid = service(uniqueName('bad'), { 'autoscaling.knative.dev/min-scale': '-1' });
    for (const extra of [[], ['--dry-run=server']]) {
      const applied = await kubectl(playground, ['apply', ...extra, '-f', '-'], { input: invalid });
      expect(applied.code).not.toBe(0);
      expect(applied.stderr).toContain(
        'admission webhook "validation.webhook.serving.knative.dev" denied the request',
      );
      expect(applied.stderr).toContain('min-scale');
    }
    const listed = await kubectl(playground, ['get', 'ksvc', '-n', 'default', '-o', 'name']);
    expect(listed.stdout.trim()).toBe('');
  });

  it('defaults a valid Service and stamps its creator', async () => {
    const name = uniqueName('good');
    const applied = await kubectl(playground, ['apply', '-f', '-'], { input: service(name) });
    expect(applied.code).toBe(0);
    const got = await kubectl(playground, ['get', 'ksvc', name, '-n', 'default', '-o', 'json']);
    const ksvc = JSON.parse(got.stdout) as {
      metadata: { annotations: Record<string, string> };
      spec: {
        template: {
          spec: { containerConcurrency: number; timeoutSeconds: number; containers: { name: string }[] };
        };
        traffic: { latestRevision: boolean; percent: number }[];
      };
    };
    // The playground kubeconfig's admin user (playground/kube-credentials.ts).
    expect(ksvc.metadata.annotations['serving.knative.dev/creator']).toBe('knative-desk-admin');
    expect(ksvc.metadata.annotations['serving.knative.dev/lastModifier']).toBe('knative-desk-admin');
    expect(ksvc.spec.template.spec.containers[0]?.name).toBe('user-container');
    expect(ksvc.spec.template.spec.containerConcurrency).toBe(0);
    expect(ksvc.spec.template.spec.timeoutSeconds).toBe(300);
    expect(ksvc.spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
  });

  it('removes its interface on down', async () => {
    const { link } = serviceInterface(dir);
    expect(links()).toContain(`${link}@`);
    await downPlayground(options);
    expect(links()).not.toContain(link);
  });
});
