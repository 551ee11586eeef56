// The bundled processing (as its Dockerfile and the playground build it) against the Tablestore contract double: the
// tablestore SDK's undeclared variables must not break the strict ES module bundle (see workloads/bundle-banner.ts).
// It failed with "UnknownError: pro is not defined" on every write before the banner declared them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleBanner } from '../bundle-banner';
import { startTablestoreDouble, type TablestoreDouble } from '../../test/support/tablestore-double';
import { TablestoreResultStore, tablestorePrimaryKeys } from '../store/tablestore-store';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'processing-bundle-'));
const credentials = { accessKeyId: 'LTAI-bundle-test', accessKeySecret: 'bundle-test-secret-0123' };
let double: TablestoreDouble | undefined;
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await double?.close();
  rmSync(out, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

describe('the bundled processing entry', () => {
  it('stores a delivered event in Tablestore, and reads it back', async () => {
    await build({
      entryPoints: [join(root, 'workloads/processing/main.ts')],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      outfile: join(out, 'main.mjs'),
      banner: { js: bundleBanner },
      logLevel: 'silent',
    });
    double = await startTablestoreDouble({
      instanceName: 'barrage',
      ...credentials,
      tables: tablestorePrimaryKeys('barrage'),
    });
    const port = await freePort();
    child = spawn(process.execPath, [join(out, 'main.mjs')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        STORE: 'tablestore',
        OTS_ENDPOINT: double.endpoint,
        OTS_INSTANCENAME: 'barrage',
        TABLE_NAME: 'barrage',
        OTS_KEYID: credentials.accessKeyId,
        OTS_SECRET: credentials.accessKeySecret,
      },
      stdio: 'ignore',
    });
    await untilHealthy(`http://127.0.0.1:${port}/healthz`);
    const id = ulid();
    const answer = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'partition:0/offset:0',
        'ce-type': 'dev.knative.kafka.event',
        'ce-source': '/apis/v1/namespaces/test/kafkasources/barrage-source#barrage-info',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        id,
        text: 'bundled',
        color: '#ffffff',
        mode: 'scroll',
        user: 'u1',
        sentAt: new Date().toISOString(),
      }),
    });
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 200,
      body: { status: 'stored', id },
    });
    expect(double.rowKeys('barrage').map(([key]) => key)).toEqual([id]);
    const store = new TablestoreResultStore({
      endpoint: double.endpoint,
      instanceName: 'barrage',
      tableName: 'barrage',
      ...credentials,
    });
    try {
      expect((await store.listAfter(undefined, 10)).map((result) => result.id)).toEqual([id]);
    } finally {
      await store.close();
    }
  });
});
