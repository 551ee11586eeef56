import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryForImage, PROBE_IMAGE, repoRoot, useBundledEntries } from './image-catalog';
import { ReplicaProcess } from './replica-process';

const logDir = mkdtempSync(join(tmpdir(), 'replica-process-'));

describe('ReplicaProcess', () => {
  it('runs an image entry with its env and PORT, waits for the readiness path, and reports an unexpected exit', async () => {
    const exits: { signal: string | null; expected: boolean }[] = [];
    const replica = new ReplicaProcess(
      {
        podName: 'p1',
        entry: entryForImage(PROBE_IMAGE) ?? '',
        cwd: repoRoot,
        logFile: join(logDir, 'p1.log'),
        maxOldSpaceMb: 96,
      },
      (_code, signal, expected) => exits.push({ signal, expected }),
    );
    await replica.start(30_000, { GREETING: 'hello-env', POD_NAME: 'p1' }, '/_probe/stats');
    const stats = (await (await fetch(`http://127.0.0.1:${replica.port}/_probe/stats`)).json()) as {
      greeting: string;
      pod: string;
    };
    expect(stats).toMatchObject({ greeting: 'hello-env', pod: 'p1' });

    process.kill(replica.pid ?? 0, 'SIGKILL');
    await expect.poll(() => exits.length).toBe(1);
    expect(exits[0]).toEqual({ signal: 'SIGKILL', expected: false });

    await replica.start(30_000, {});
    await replica.stop(5000);
    expect(exits[1]?.expected).toBe(true);
    expect(readFileSync(join(logDir, 'p1.log'), 'utf8')).toMatch(
      /starting[\s\S]*exited code=null signal=SIGKILL[\s\S]*starting/,
    );
  });

  it('rejects with a clear message when the entry exits before listening', async () => {
    const replica = new ReplicaProcess(
      {
        podName: 'p2',
        entry: join(repoRoot, 'no/such/entry.ts'),
        cwd: repoRoot,
        logFile: join(logDir, 'p2.log'),
        maxOldSpaceMb: 96,
      },
      () => undefined,
    );
    await expect(replica.start(30_000, {})).rejects.toThrow(/exited before listening on PORT/);
  });

  it('maps only known images to entries', () => {
    expect(entryForImage('knative-desk/barrage-processing:0.1.0')).toMatch(
      /workloads\/processing\/main\.ts$/,
    );
    expect(entryForImage('registry.example.com/knative-desk/barrage-homepage:0.1.0')).toMatch(
      /workloads\/homepage\/main\.ts$/,
    );
    expect(entryForImage('nginx:latest')).toBeUndefined();
  });

  it('runs a bundled .mjs entry with plain node, without the tsx loader', async () => {
    const entry = join(logDir, 'bundle.mjs');
    // A bundle has no TypeScript, and tsx would show in its own process's execArgv if it were loaded.
    writeFileSync(
      entry,
      "import http from 'node:http';\n" +
        'http.createServer((_q, s) => s.end(JSON.stringify(process.execArgv))).listen(Number(process.env.PORT));\n',
    );
    const replica = new ReplicaProcess(
      { podName: 'p3', entry, cwd: repoRoot, logFile: join(logDir, 'p3.log'), maxOldSpaceMb: 96 },
      () => undefined,
    );
    await replica.start(30_000, {});
    const execArgv = (await (await fetch(`http://127.0.0.1:${replica.port}/`)).json()) as string[];
    await replica.stop(5000);
    expect(execArgv).toEqual(['--max-old-space-size=96']);
  });

  it('maps a barrage image to its bundle once the runtime has bundled it', () => {
    useBundledEntries({ 'knative-desk/barrage-processing:0.1.0': '/bundles/processing/main.mjs' });
    expect(entryForImage('registry.example.com/knative-desk/barrage-processing:0.1.0')).toBe(
      '/bundles/processing/main.mjs',
    );
    expect(entryForImage('knative-desk/barrage-homepage:0.1.0')).toMatch(/workloads\/homepage\/main\.ts$/);
  });
});
