// Part `fc` of the playground (parts/fc.ts): Function Compute for FC-class Knative Services, as Alibaba's
// Knative on ASK gives it, in one process. Started as `node <bundle of playground/fc/fc-main.ts> <dir>/state.json`; it
// - serves the FC 2.0 API double (fc-api-double.ts; signed requests as @alicloud/fc2 sends them),
//   whose functions' instances are local processes (fc-instances.ts);
// - registers the defaulting webhook that hands FC-class revisions to our PodAutoscaler class at initial scale 0
//   (fc-revision-webhook.ts; self-signed certificate made with openssl, kept in `<dir>/fc/`), and sets
//   config-autoscaler `allow-zero-initial-scale: "true"`, which that needs;
// - reconciles PodAutoscalers of that class (fc-controller.ts, the stand-in for ASK's FC controller);
// - writes `<dir>/fc.json` `{pid, fc: {accountId, accessKeyId, accessKeySecret, region, endpoint}}` as its readiness
//   signal (`fc` is merged into `up --json`); on SIGTERM it stops every instance,
//   removes its webhook configuration (so no Revision create waits on a webhook that is gone) and fc.json.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, CustomObjectsApi, KubernetesObjectApi } from '@kubernetes/client-node';
import { serverSideApply } from '../kube-writes';
import { adminKubeConfigOf, envNumber, log, stateFromArgv } from '../process-main';
import { serviceInterface } from '../parts/knative-serving';
import { FC_PART_READY_FILE } from '../parts/fc';
import { imagesFile, type ImageEntry } from '../parts/virtual-node';
import { FcApiDouble, type FcCredentials } from './fc-api-double';
import { resources } from '../../knative/resources';
import { FcController } from './fc-controller';
import { FunctionInstances } from './fc-instances';
import { serveRevisionWebhook, WEBHOOK_NAME } from './fc-revision-webhook';

const FIELD_MANAGER = 'knative-desk-fc';

/** A self-signed serving certificate for 127.0.0.1 (kube-apiserver calls the webhook there), made once per dir. */
function ensureCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'webhook.crt');
  const keyFile = join(dir, 'webhook.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '3650',
        '-subj',
        '/CN=fc-revisions.playground.knative-desk',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
  }
  return { certFile, keyFile };
}

async function main(): Promise<void> {
  const state = stateFromArgv('playground/fc/fc-main.ts');
  const kc = adminKubeConfigOf(state);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const admission = kc.makeApiClient(AdmissionregistrationV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const fcDir = join(state.dir, 'fc');

  const instances = new FunctionInstances({
    logDir: join(fcDir, 'logs'),
    maxInstances: envNumber('KNATIVE_DESK_FC_MAX_INSTANCES', 8),
    idleMs: envNumber('KNATIVE_DESK_FC_IDLE_SECONDS', 300) * 1000,
    startTimeoutMs: envNumber('KNATIVE_DESK_ACTIVATION_TIMEOUT_MS', 60_000),
    log,
  });
  const credentials: FcCredentials = {
    accountId: '1234567890123456',
    accessKeyId: `LTAI${randomBytes(8).toString('hex')}`,
    accessKeySecret: randomBytes(18).toString('base64url'),
    region: 'cn-shanghai',
  };
  const fc = new FcApiDouble({
    credentials,
    instancesOf: (namespace, name) =>
      instances
        .instancesOf(`${namespace}/${name}`)
        .filter((instance) => instance.ready)
        .map((instance) => ({ instanceId: instance.instanceId, versionId: 'LATEST' })),
    invocationTarget: async (namespace, name) => {
      const slot = await instances.acquire(`${namespace}/${name}`);
      return { host: '127.0.0.1', port: slot.port, pathPrefix: '', release: slot.release };
    },
  });
  const endpoint = await fc.listen(0);

  let images: Record<string, ImageEntry> = {};
  const controller = new FcController({
    kubeConfig: kc,
    fc,
    instances,
    images: () => {
      // Re-read when the virtual node rewrote it (a restarted node bundles again).
      try {
        images = JSON.parse(readFileSync(imagesFile(state.dir), 'utf8')) as Record<string, ImageEntry>;
      } catch {
        // Keep the last good map.
      }
      return images;
    },
    triggerHost: serviceInterface(state.dir).ip,
    log,
  });

  // config-autoscaler: initial scale 0 is refused by Knative's webhook unless allowed.
  const configAutoscaler = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config-autoscaler', namespace: 'knative-serving' },
    data: { 'allow-zero-initial-scale': 'true' },
  };
  await serverSideApply(objects, [configAutoscaler], FIELD_MANAGER);

  const { certFile, keyFile } = ensureCertificate(fcDir);
  const configuration = resources.configuration;
  const webhook = await serveRevisionWebhook({
    certFile,
    keyFile,
    configurationOf: async (namespace, name) => {
      try {
        return (await custom.getNamespacedCustomObject({
          group: configuration.group,
          version: configuration.version,
          plural: configuration.plural,
          namespace,
          name,
        })) as { metadata?: { annotations?: Record<string, string> } };
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
    log,
  });
  const revisionWebhook = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: WEBHOOK_NAME },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        clientConfig: { url: webhook.url, caBundle: readFileSync(certFile).toString('base64') },
        rules: [
          {
            apiGroups: ['serving.knative.dev'],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['revisions'],
            scope: 'Namespaced',
          },
        ],
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 10,
      },
    ],
  };
  await serverSideApply(objects, [revisionWebhook], FIELD_MANAGER);

  await controller.start();

  const readyFile = join(state.dir, FC_PART_READY_FILE);
  writeFileSync(
    `${readyFile}.tmp`,
    `${JSON.stringify({ pid: process.pid, fc: { ...credentials, endpoint } })}\n`,
  );
  renameSync(`${readyFile}.tmp`, readyFile);
  log(`fc: API ${endpoint}, revision webhook ${webhook.url}`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(1), 20_000);
    rmSync(readyFile, { force: true });
    await admission.deleteMutatingWebhookConfiguration({ name: WEBHOOK_NAME }).catch(() => undefined);
    await controller.stop().catch(() => undefined);
    await instances.shutdown();
    webhook.close();
    await fc.close();
    clearTimeout(hardStop);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  log(`fc failed: ${String(error)}\n${(error as Error).stack ?? ''}`);
  process.exit(1);
});
