// The defaulting step that makes upstream Knative hand FC-class revisions to our FC controller (fc-controller.ts):
// a mutating admission webhook on Revision CREATE. It stands in for what Alibaba's Knative on ASK does natively for
// `workload.serving.knative.aliyun.com/class: fc` (ASK's own Knative knows the class; upstream's does not). A revision
// of an FC-class Service (the class on the Service, which Knative copies to the Configuration, or on the revision
// template) gets
// - `autoscaling.knative.dev/class: fc.autoscaling.knative-desk.io`: Knative's pluggable PodAutoscaler class
//   (pkg/apis/autoscaling: a class outside `*.knative.dev` is left to its own reconciler), so neither the KPA nor the
//   HPA reconciler touches its PodAutoscaler — ours does;
// - `autoscaling.knative.dev/initial-scale: "0"` (allowed by config-autoscaler `allow-zero-initial-scale`): the
//   revision's Deployment is made with 0 replicas (resources/deploy.go) and nobody scales it, so the function has no
//   Pods in the user's namespace, as on ASK.
// Only Revisions are touched — never the user's Service, Configuration or templates, so what a user applies is what
// the console and kubectl show.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { annotations as keys } from '../../knative/keys';

export const FC_AUTOSCALING_CLASS = 'fc.autoscaling.knative-desk.io';
export const WEBHOOK_NAME = 'fc-revisions.playground.knative-desk.io';
export const WEBHOOK_PATH = '/fc-revisions';

interface Annotated {
  metadata?: { annotations?: Record<string, string> };
}

const isFcClass = (value: string | undefined) => value?.toLowerCase() === 'fc';

/** True when the revision (or the Configuration it comes from) says class fc. */
export function isFcRevision(revision: Annotated, configuration: Annotated | undefined): boolean {
  return (
    isFcClass(revision.metadata?.annotations?.[keys.workloadClass]) ||
    isFcClass(configuration?.metadata?.annotations?.[keys.workloadClass])
  );
}

export interface JsonPatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}

/** The JSON patch that hands an FC revision to our PodAutoscaler class at initial scale 0 (none if not FC). */
export function fcRevisionPatch(
  revision: Annotated,
  configuration: Annotated | undefined,
): JsonPatchOperation[] {
  if (!isFcRevision(revision, configuration)) return [];
  const current = revision.metadata?.annotations;
  const wanted = { [keys.autoscalingClass]: FC_AUTOSCALING_CLASS, [keys.initialScale]: '0' };
  if (!current) return [{ op: 'add', path: '/metadata/annotations', value: wanted }];
  return Object.entries(wanted)
    .filter(([key, value]) => current[key] !== value)
    .map(([key, value]) => ({
      op: key in current ? ('replace' as const) : ('add' as const),
      path: `/metadata/annotations/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      value,
    }));
}

interface AdmissionReview {
  apiVersion: string;
  kind: 'AdmissionReview';
  request?: {
    uid: string;
    namespace?: string;
    object?: Annotated & { metadata?: { labels?: Record<string, string> } };
  };
}

/**
 * Serves the webhook over TLS on 127.0.0.1 (kube-apiserver runs on this host). `configurationOf` reads the
 * revision's Configuration (named by its `serving.knative.dev/configuration` label).
 */
export async function serveRevisionWebhook(options: {
  certFile: string;
  keyFile: string;
  configurationOf: (namespace: string, name: string) => Promise<Annotated | undefined>;
  log: (message: string) => void;
}): Promise<{ url: string; close: () => void }> {
  const server = https.createServer(
    { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void (async () => {
          let review: AdmissionReview;
          try {
            review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdmissionReview;
          } catch {
            response.writeHead(400).end('an AdmissionReview (JSON) is expected\n');
            return;
          }
          const uid = review.request?.uid ?? '';
          const revision = review.request?.object ?? {};
          const configurationName = revision.metadata?.labels?.['serving.knative.dev/configuration'];
          let answer: Record<string, unknown> = { uid, allowed: true };
          try {
            const configuration = configurationName
              ? await options.configurationOf(review.request?.namespace ?? '', configurationName)
              : undefined;
            const patch = fcRevisionPatch(revision, configuration);
            if (patch.length) {
              answer = {
                ...answer,
                patchType: 'JSONPatch',
                patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
              };
            }
          } catch (error) {
            // Refuse rather than let an FC revision become Pods: the controller retries the create.
            options.log(`revision webhook: ${String(error)}`);
            answer = {
              uid,
              allowed: false,
              status: { code: 503, message: `the FC class could not be checked: ${String(error)}` },
            };
          }
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: answer }),
          );
        })();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
