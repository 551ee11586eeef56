// The product's front door, as a stranger uses it: connect to the playground, type a namespace that does not exist
// yet, create it when the Deploy screen offers to, press "Deploy all" without touching a single field, open the
// Barrage screen and press Send with the sender's own defaults. HomePage must accept barrage (accepted > 0) and
// processed comments must reach the viewer. No field other than the namespace is changed here, on purpose: the
// other e2e tests set Kafka fields themselves, which once hid a default that pointed at the wrong broker.
// Screenshots go to artifacts/e2e/first-run-*.png.
import { CoreV1Api } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { kubeConfigFor, uniqueName } from '../support/unique';
import { screenshot } from './support/browser';
import { openConsole } from './support/console';
import { connectTo, createOfferedNamespace, deployAll, sendWithDefaults } from './support/first-run-steps';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');

describe('first run with the defaults', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({ height: 1200 }, (opened) => ({ web, page, pageErrors } = opened));
  // Not created here: the console must offer to create it.
  const namespace = uniqueName('e2e-first-run');

  afterAll(async () => {
    await kubeConfigFor(playground, 'admin')
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: namespace })
      .catch(() => {});
  });

  it('deploys everything with the defaults, sends with the defaults, and shows accepted barrage and comments', async () => {
    await connectTo(page, web.url, namespace);
    await createOfferedNamespace(page, web.url, 'first-run-namespace-missing');
    await deployAll(page, 180_000);
    await screenshot(page, 'first-run-deploy-all');
    await sendWithDefaults(page, namespace, 60_000);
    await screenshot(page, 'first-run-barrage');
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
