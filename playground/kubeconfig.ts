// The playground's own kubeconfig (never ~/.kube/config): one cluster, two contexts — admin and the viewer that may
// only read namespace knative-desk-demo. The CA is embedded so the file works from anywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ADMIN_CONTEXT, VIEWER_CONTEXT, VIEWER_NAMESPACE } from './info';
import type { KubeCredentials } from './kube-credentials';

export function kubeconfigPath(dir: string): string {
  return join(dir, 'kubeconfig');
}

export function writeKubeconfig(options: {
  dir: string;
  apiServer: string;
  caFile: string;
  credentials: KubeCredentials;
}): string {
  const cluster = 'knative-desk-playground';
  const caData = readFileSync(options.caFile).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: cluster, cluster: { server: options.apiServer, 'certificate-authority-data': caData } },
    ],
    users: [
      { name: `${ADMIN_CONTEXT}-admin`, user: { token: options.credentials.adminToken } },
      { name: VIEWER_CONTEXT, user: { token: options.credentials.viewerToken } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster, user: `${ADMIN_CONTEXT}-admin`, namespace: 'default' } },
      { name: VIEWER_CONTEXT, context: { cluster, user: VIEWER_CONTEXT, namespace: VIEWER_NAMESPACE } },
    ],
    'current-context': ADMIN_CONTEXT,
    preferences: {},
  };
  const path = kubeconfigPath(options.dir);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
