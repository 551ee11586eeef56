import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MissingToolError, PartFailedError, PortTakenError } from './errors';
import { isPidAlive } from './info';
import { downPlayground, upPlayground } from './playground';
import {
  isOurProcess,
  logTail,
  markRecorded,
  requireTool,
  startDetached,
  stopPid,
  stopOrphans,
  waitUntilHealthy,
} from './processes';

const dir = mkdtempSync(join(tmpdir(), 'knd-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('detached processes', () => {
  const sleeper = (log: string) => startDetached('sh', ['-c', 'exec sleep 60'], { log });
  const pidsOf = (records: { pid: number }[]) => records.map((record) => record.pid);

  it('stops what an up started for a dir and never recorded; recorded ones and other dirs are left alone', async () => {
    const starting = sleeper(join(dir, 'a', 'logs', 'kube-apiserver.log'));
    const recorded = sleeper(join(dir, 'a', 'logs', 'etcd.log'));
    const inState = sleeper(join(dir, 'a', 'logs', 'kafka.log'));
    const elsewhere = sleeper(join(dir, 'ab', 'logs', 'kube-apiserver.log'));
    markRecorded(recorded);
    try {
      // `inState`: its part was saved, but its up was stopped before it could clear the record.
      expect(pidsOf(await stopOrphans(join(dir, 'a'), new Set([inState.pid]), 1_000))).toEqual([
        starting.pid,
      ]);
      expect(isPidAlive(starting.pid)).toBe(false);
      for (const proc of [recorded, inState, elsewhere]) expect(isPidAlive(proc.pid)).toBe(true);
      expect(readdirSync(join(dir, 'a', 'starting'))).toEqual([]);
      expect(await stopOrphans(join(dir, 'a'), new Set(), 1_000)).toEqual([]);
    } finally {
      await Promise.all([starting, recorded, inState, elsewhere].map((proc) => stopPid(proc.pid, 1_000)));
      await stopOrphans(join(dir, 'ab'), new Set(), 1_000);
    }
  });

  it('drops the record of a pid that now runs another process, and leaves that process alone', async () => {
    const playgroundDir = join(dir, 'recycled');
    const proc = sleeper(join(playgroundDir, 'logs', 'kube-apiserver.log'));
    const record = join(playgroundDir, 'starting', `${proc.pid}.json`);
    try {
      const written = JSON.parse(readFileSync(record, 'utf8')) as { startTicks: string };
      writeFileSync(
        record,
        JSON.stringify({ ...written, startTicks: String(Number(written.startTicks) - 1) }),
      );
      expect(await stopOrphans(playgroundDir, new Set(), 1_000)).toEqual([]);
      expect(isPidAlive(proc.pid)).toBe(true);
      expect(existsSync(record)).toBe(false);
    } finally {
      await stopPid(proc.pid, 1_000);
    }
  });

  it('a down in the process whose up is still starting parts stops those parts too', async () => {
    // As when a bench or a test run is stopped mid-up: the part is not in the state file yet.
    const playgroundDir = join(dir, 'mid-up');
    const starting = sleeper(join(playgroundDir, 'logs', 'kube-apiserver.log'));
    const messages: string[] = [];
    await downPlayground({
      dir: playgroundDir,
      parts: [],
      progress: (message) => messages.push(String(message)),
    });
    expect(isPidAlive(starting.pid)).toBe(false);
    expect(messages).toContain(
      `stopped pid ${starting.pid} (kube-apiserver), started by an up that did not finish`,
    );
  });

  it('the next up stops what an up in a process that is gone had started and not recorded', async () => {
    // As after a Ctrl-C during `up`: the parts run detached, in sessions of their own, and outlive the CLI.
    const playgroundDir = join(dir, 'stopped-up');
    const script = `
      const { startDetached } = await import(${JSON.stringify(join(import.meta.dirname, 'processes.ts'))});
      const proc = startDetached('sh', ['-c', 'exec sleep 60'], { log: ${JSON.stringify(join(playgroundDir, 'logs', 'kafka.log'))} });
      console.log(proc.pid);
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');
    const orphan = Number(child.stdout.trim());
    expect(isPidAlive(orphan)).toBe(true);
    const messages: string[] = [];
    try {
      await upPlayground({
        dir: playgroundDir,
        parts: [],
        progress: (message) => messages.push(String(message)),
      });
      expect(isPidAlive(orphan)).toBe(false);
      expect(messages).toContain(`stopped pid ${orphan} (kafka), started by an up that did not finish`);
    } finally {
      await stopPid(orphan, 1_000);
    }
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
