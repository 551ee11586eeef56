import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MissingToolError, PartFailedError, PortTakenError } from './errors';
import { isPidAlive } from './info';
import { downPlayground } from './playground';
import {
  isOurProcess,
  logTail,
  markRecorded,
  requireTool,
  startDetached,
  stopPid,
  stopUnrecorded,
  waitUntilHealthy,
} from './processes';

const dir = mkdtempSync(join(tmpdir(), 'knd-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detached processes', () => {
  it('stops what it started for a dir and never recorded; recorded ones and other dirs are left alone', async () => {
    const sleeper = (log: string) => startDetached('sh', ['-c', 'exec sleep 60'], { log });
    const starting = sleeper(join(dir, 'a', 'logs', 'apiserver.log'));
    const recorded = sleeper(join(dir, 'a', 'logs', 'etcd.log'));
    const elsewhere = sleeper(join(dir, 'ab', 'logs', 'apiserver.log'));
    markRecorded(recorded.pid);
    try {
      expect(await stopUnrecorded(join(dir, 'a'), 1_000)).toEqual([starting.pid]);
      expect(isPidAlive(starting.pid)).toBe(false);
      expect(isPidAlive(recorded.pid)).toBe(true);
      expect(isPidAlive(elsewhere.pid)).toBe(true);
      expect(await stopUnrecorded(join(dir, 'a'), 1_000)).toEqual([]);
    } finally {
      await Promise.all([starting, recorded, elsewhere].map((proc) => stopPid(proc.pid, 1_000)));
      await stopUnrecorded(join(dir, 'ab'), 1_000);
    }
  });

  it('a down in the process whose up is still starting parts stops those parts too', async () => {
    // As when a bench or a test run is stopped mid-up: the part is not in the state file yet.
    const playgroundDir = join(dir, 'mid-up');
    const starting = startDetached('sh', ['-c', 'exec sleep 60'], {
      log: join(playgroundDir, 'logs', 'kube-apiserver.log'),
    });
    const messages: string[] = [];
    await downPlayground({
      dir: playgroundDir,
      parts: [],
      progress: (message) => messages.push(String(message)),
    });
    expect(isPidAlive(starting.pid)).toBe(false);
    expect(messages).toContain(`stopped pid ${starting.pid}, started by this up but not ready yet`);
  });

  it('starts a process that outlives the call, logs to its file, and stops by pid', async () => {
    const log = join(dir, 'sleeper.log');
    const proc = startDetached('sh', ['-c', 'echo started; exec sleep 60'], { log });
    await waitUntilHealthy('sleeper', proc, async () => logTail(log).includes('started'), 10_000);
    // "started" is logged by sh just before it execs sleep; while the kernel swaps the image, /proc/<pid>/cmdline
    // reads empty for a moment (isOurProcess then says "not ours", as for a zombie), so look until the exec is done.
    await vi.waitFor(() => expect(isOurProcess(proc.pid, 'sleep')).toBe(true), { timeout: 5_000 });
    expect(isOurProcess(proc.pid, 'etcd')).toBe(false);
    await stopPid(proc.pid);
    expect(isPidAlive(proc.pid) && isOurProcess(proc.pid, 'sleep')).toBe(false);
  });

  it('reports a process that dies during start with its log path and last lines', async () => {
    const log = join(dir, 'dies.log');
    const proc = startDetached('sh', ['-c', 'echo "config is broken"; exit 3'], { log });
    const error = await waitUntilHealthy('dier', proc, async () => false, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartFailedError);
    expect(error).not.toBeInstanceOf(PortTakenError);
    expect((error as Error).message).toContain(log);
    expect((error as Error).message).toContain('config is broken');
  });

  it("says why a process that stays up never became healthy: its probe's last reason, and stops it", async () => {
    const log = join(dir, 'unready.log');
    const proc = startDetached('sh', ['-c', 'echo "shutting down as asked"; exec sleep 60'], { log });
    let checks = 0;
    const probe = async () => {
      checks += 1;
      throw new Error(`/readyz answered 500: [-]poststarthook/check-${checks} failed`);
    };
    const error = await waitUntilHealthy('unready', proc, probe, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartFailedError);
    expect((error as Error).message).toContain('did not become healthy within 0.3 s');
    expect((error as Error).message).toContain(
      `its last check: /readyz answered 500: [-]poststarthook/check-${checks} failed`,
    );
    expect(isPidAlive(proc.pid) && isOurProcess(proc.pid, 'sleep')).toBe(false);
  });

  it('recognises a process that died because its port was taken, so the caller can retry elsewhere', async () => {
    const log = join(dir, 'bind.log');
    const proc = startDetached(
      'sh',
      ['-c', 'echo "listen tcp 127.0.0.1:6443: bind: address already in use"; exit 1'],
      {
        log,
      },
    );
    const error = await waitUntilHealthy('binder', proc, async () => false, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortTakenError);
  });

  it('shows only the latest run in the log tail', async () => {
    const log = join(dir, 'runs.log');
    for (const word of ['first-run', 'second-run']) {
      const proc = startDetached('sh', ['-c', `echo ${word}`], { log });
      while (isOurProcess(proc.pid, 'sh')) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(logTail(log)).toContain('second-run');
    expect(logTail(log)).not.toContain('first-run');
  });

  it('names what to install when a tool is missing', () => {
    expect(() => requireTool('knative-desk-no-such-tool', 'the thing (apt-get install thing)')).toThrow(
      MissingToolError,
    );
    expect(() => requireTool('knative-desk-no-such-tool', 'the thing (apt-get install thing)')).toThrow(
      /'knative-desk-no-such-tool' was not found on PATH; install the thing \(apt-get install thing\)/,
    );
    expect(() => requireTool('sh', 'a shell')).not.toThrow();
  });
});
