// A kubeconfig whose user runs a command for credentials: nothing runs until the user confirms it for the file's
// exact content, a confirmation survives until the file changes, and errors never quote the file. The "command"
// here writes a marker file, so running it unasked would be visible.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterService } from './cluster-service';
import { credentialCommandOf, safeLoadError } from './credential-commands';
import { KubeconfigSources } from './kubeconfig-sources';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'knd-exec-'));
  const marker = join(dir, 'ran');
  const kubeconfig = join(dir, 'exec-kubeconfig');
  const write = (extra = '') =>
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "https://127.0.0.1:9" }
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "touch ${marker}; echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"t\\"}}'"]
      interactiveMode: Never
contexts:
- name: exec-ctx
  context: { cluster: c, user: u }
current-context: exec-ctx
${extra}`,
    );
  write();
  const sources = new KubeconfigSources({
    configDir: join(dir, 'config'),
    playgroundKubeconfig: () => undefined,
    env: { KUBECONFIG: join(dir, 'none') },
  });
  sources.addFile(kubeconfig);
  const clusters = new ClusterService(sources, () => undefined);
  return { clusters, sources, marker, kubeconfig, write };
}

describe('kubeconfig credential commands', () => {
  it('shows the command and runs nothing until confirmed for this file content', async () => {
    const { clusters, marker, kubeconfig, write } = setup();
    const listed = clusters.list().contexts.find((context) => context.name === 'exec-ctx');
    expect(listed).toMatchObject({ credentialCommandConfirmed: false });
    expect(listed?.credentialCommand).toMatch(/^\/bin\/sh -c 'touch .*ran/);

    const check = await clusters.check('exec-ctx', undefined);
    expect(check.reachable).toBe(false);
    expect(check.summary).toContain('confirm the command');
    expect(() => clusters.clientsFor('exec-ctx')).toThrow(/Nothing was run/);
    expect(existsSync(marker)).toBe(false);

    clusters.confirmCredentialCommands(kubeconfig);
    expect(clusters.list().contexts.find((c) => c.name === 'exec-ctx')?.credentialCommandConfirmed).toBe(
      true,
    );
    await clusters.check('exec-ctx', undefined); // the server is unreachable; the command runs first
    expect(existsSync(marker)).toBe(true);

    // Any edit of the file asks again.
    write('# edited');
    expect(clusters.list().contexts.find((c) => c.name === 'exec-ctx')?.credentialCommandConfirmed).toBe(
      false,
    );
  });

  it('confirms only known sources', () => {
    const { sources } = setup();
    expect(() => sources.confirmCredentialCommands('/etc/hostname')).toThrow(
      /not one of the kubeconfig sources/,
    );
  });

  it('never quotes the file in load errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knd-bad-'));
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'users:\n  - token: "s3cr3t-token-value"\n   bad: [indent');
    const sources = new KubeconfigSources({
      configDir: join(dir, 'config'),
      playgroundKubeconfig: () => undefined,
      env: { KUBECONFIG: join(dir, 'none') },
    });
    let message = '';
    try {
      sources.addFile(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('is not a usable kubeconfig');
    expect(message).not.toContain('s3cr3t');
    expect(safeLoadError('Unexpected token \'x\', "secret-abc" is not valid JSON')).not.toContain('secret');
  });

  it('describes auth-providers too', () => {
    expect(
      credentialCommandOf({
        name: 'u',
        authProvider: {
          name: 'gcp',
          config: { 'cmd-path': '/usr/bin/gcloud', 'cmd-args': 'config config-helper' },
        },
      } as never),
    ).toBe('/usr/bin/gcloud config config-helper');
    expect(credentialCommandOf({ name: 'u', authProvider: { name: 'oidc', config: {} } } as never)).toBe(
      'auth-provider oidc',
    );
    expect(credentialCommandOf({ name: 'u', token: 't' } as never)).toBeNull();
  });
});
