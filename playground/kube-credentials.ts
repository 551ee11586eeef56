// Credentials of the playground's Kubernetes API, made once per playground dir and kept (so a restarted
// kube-apiserver accepts the kubeconfig already handed out): static bearer tokens for an admin and a viewer user,
// and the RSA key that signs and verifies service-account tokens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_USER = 'knative-desk-admin';
export const VIEWER_USER = 'knative-desk-viewer';

export interface KubeCredentials {
  adminToken: string;
  viewerToken: string;
  /** `--token-auth-file`: lines `token,user,uid,"groups"`. */
  tokenFile: string;
  /** One RSA private key serves as both `--service-account-key-file` and `--service-account-signing-key-file`. */
  serviceAccountKeyFile: string;
  /** `--cert-dir`: kube-apiserver writes its self-signed serving certificate (with its CA) there on first start. */
  certDir: string;
}

export function kubeDir(dir: string): string {
  return join(dir, 'kube');
}

/** The serving certificate kube-apiserver generates in its cert dir: the leaf followed by the CA that signed it. */
export function servingCertFile(dir: string): string {
  return join(kubeDir(dir), 'certs', 'apiserver.crt');
}

export function ensureKubeCredentials(dir: string): KubeCredentials {
  const base = kubeDir(dir);
  mkdirSync(join(base, 'certs'), { recursive: true, mode: 0o700 });
  const tokensJson = join(base, 'tokens.json');
  if (!existsSync(tokensJson)) {
    const token = () => randomBytes(24).toString('base64url');
    writeFileSync(tokensJson, JSON.stringify({ adminToken: token(), viewerToken: token() }), { mode: 0o600 });
  }
  const { adminToken, viewerToken } = JSON.parse(readFileSync(tokensJson, 'utf8')) as {
    adminToken: string;
    viewerToken: string;
  };
  const tokenFile = join(base, 'tokens.csv');
  // system:masters bypasses RBAC (the admin); the viewer is only system:authenticated plus what RBAC grants it.
  const tokens = `${adminToken},${ADMIN_USER},1,"system:masters"\n${viewerToken},${VIEWER_USER},2,""\n`;
  // Written only when it differs, and whole (a temp file renamed over it): kube-apiserver reads this file once, at
  // start, while `up` calls this on every readiness probe. Truncated and rewritten in place, the file was once read
  // empty, and that kube-apiserver refused every token, the admin's included, with 401 until `up` gave up (CI).
  if (!existsSync(tokenFile) || readFileSync(tokenFile, 'utf8') !== tokens) {
    const temp = `${tokenFile}.${process.pid}.tmp`;
    writeFileSync(temp, tokens, { mode: 0o600 });
    renameSync(temp, tokenFile);
  }
  const serviceAccountKeyFile = join(base, 'service-account.key');
  if (!existsSync(serviceAccountKeyFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(serviceAccountKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
  }
  return { adminToken, viewerToken, tokenFile, serviceAccountKeyFile, certDir: join(base, 'certs') };
}
