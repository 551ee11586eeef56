import { ApiException, type CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EnvResolutionError, resolveEnv } from './env-resolver';

const pod = { name: 'p', namespace: 'demo', ip: '10.0.0.7', serviceAccountName: 'default' };
const notFound = () => new ApiException(404, 'not found', {}, {});

/** A CoreV1Api with one Secret `creds` and one ConfigMap `settings` in demo, counting reads. */
function core() {
  const reads = { secrets: 0, configMaps: 0 };
  const api = {
    readNamespacedSecret: async ({ name }: { name: string }) => {
      reads.secrets++;
      if (name !== 'creds') throw notFound();
      return { data: { user: Buffer.from('alice').toString('base64') }, stringData: { token: 't0k' } };
    },
    readNamespacedConfigMap: async ({ name }: { name: string }) => {
      reads.configMaps++;
      if (name !== 'settings') throw notFound();
      return { data: { level: 'debug' } };
    },
  } as unknown as CoreV1Api;
  return { api, reads };
}

describe('resolveEnv', () => {
  it('reads Secret and ConfigMap keys once per object, with values, $(VAR) and fieldRefs', async () => {
    const { api, reads } = core();
    const env = await resolveEnv(
      api,
      [
        { name: 'USER', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } },
        { name: 'GREETING', value: 'hi $(USER)' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      pod,
    );
    expect(env).toEqual({ USER: 'alice', TOKEN: 't0k', LEVEL: 'debug', GREETING: 'hi alice', POD: 'p' });
    expect(reads).toEqual({ secrets: 1, configMaps: 1 });
  });

  it('skips optional refs that are missing and refuses required ones with the kubelet reason', async () => {
    const { api } = core();
    const optional = await resolveEnv(
      api,
      [
        { name: 'A', valueFrom: { secretKeyRef: { name: 'gone', key: 'x', optional: true } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope', optional: true } } },
      ],
      pod,
    );
    expect(optional).toEqual({});
    await expect(
      resolveEnv(api, [{ name: 'A', valueFrom: { secretKeyRef: { name: 'gone', key: 'x' } } }], pod),
    ).rejects.toThrow('secret "gone" not found');
    await expect(
      resolveEnv(api, [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'x' } } }], pod),
    ).rejects.toThrow("couldn't find key x in Secret demo/creds");
    const refused = await resolveEnv(
      api,
      [{ name: 'C', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }],
      pod,
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EnvResolutionError);
    expect((refused as EnvResolutionError).reason).toBe('CreateContainerConfigError');
  });
});
