import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionInstances, type FunctionConfig } from './fc-instances';

// A function's "image": node serving its PORT, answering with its own pid and the env it was given.
const server = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ pid: process.pid, greeting: process.env.GREETING }))).listen(Number(process.env.PORT), '127.0.0.1')`;
const config = (version: string, overrides: Partial<FunctionConfig> = {}): FunctionConfig => ({
  version,
  image: { command: [process.execPath, '-e', server] },
  env: () => Promise.resolve({ GREETING: `hello from ${version}` }),
  instanceConcurrency: 1,
  ...overrides,
});

function call(port: number): Promise<{ pid: number; greeting: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body) as { pid: number; greeting: string }));
      })
      .on('error', reject);
  });
}

const logDir = mkdtempSync(join(tmpdir(), 'fc-instances-'));
let instances: FunctionInstances | undefined;
const make = (idleMs = 60_000) =>
  (instances = new FunctionInstances({
    logDir,
    maxInstances: 2,
    idleMs,
    startTimeoutMs: 10_000,
    log: () => {},
  }));

afterEach(async () => {
  await instances?.shutdown();
  rmSync(logDir, { recursive: true, force: true });
});

describe('FC function instances', () => {
  it('has no instance until invoked, then starts one with the resolved env (cold start)', async () => {
    const pool = make();
    pool.configure('ns/fn', config('fn-00001'));
    expect(pool.instancesOf('ns/fn')).toEqual([]);
    const slot = await pool.acquire('ns/fn');
    expect((await call(slot.port)).greeting).toBe('hello from fn-00001');
    slot.release();
    expect(pool.instancesOf('ns/fn')).toEqual([
      expect.objectContaining({ version: 'fn-00001', ready: true, inFlight: 0 }),
    ]);
  });

  it('starts another instance when every slot is taken, up to the cap, and reuses a freed one', async () => {
    const pool = make();
    pool.configure('ns/fn', config('fn-00001'));
    const first = await pool.acquire('ns/fn');
    const second = await pool.acquire('ns/fn');
    expect(second.port).not.toBe(first.port);
    expect(pool.instancesOf('ns/fn')).toHaveLength(2);
    const third = pool.acquire('ns/fn');
    first.release();
    expect((await third).port).toBe(first.port);
    expect(pool.instancesOf('ns/fn')).toHaveLength(2);
  });

  it('replaces the instances of an older version and reclaims idle ones', async () => {
    const pool = make(1_500);
    pool.configure('ns/fn', config('fn-00001'));
    const old = await pool.acquire('ns/fn');
    old.release();
    pool.configure('ns/fn', config('fn-00002'));
    const next = await pool.acquire('ns/fn');
    expect((await call(next.port)).greeting).toBe('hello from fn-00002');
    next.release();
    await expect
      .poll(() => pool.instancesOf('ns/fn').map((i) => i.version), { timeout: 5_000 })
      .toEqual(['fn-00002']);
    await expect.poll(() => pool.instancesOf('ns/fn'), { timeout: 8_000 }).toEqual([]);
  });

  it('waits for the readinessProbe path before an instance takes invocations', async () => {
    const pool = make();
    const slow = `const started = Date.now(); require('node:http').createServer((q, s) => { s.statusCode = q.url === '/ready' && Date.now() - started < 700 ? 503 : 200; s.end(String(Date.now() - started)); }).listen(Number(process.env.PORT), '127.0.0.1')`;
    pool.configure(
      'ns/slow',
      config('s-1', { image: { command: [process.execPath, '-e', slow] }, readinessPath: '/ready' }),
    );
    const slot = await pool.acquire('ns/slow');
    const sinceStart = await new Promise<number>((resolve) =>
      http.get({ host: '127.0.0.1', port: slot.port, path: '/' }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(Number(body)));
      }),
    );
    expect(sinceStart).toBeGreaterThanOrEqual(700);
    slot.release();
  });

  it('fails an invocation when the function cannot start, with the reason', async () => {
    const pool = make();
    pool.configure(
      'ns/broken',
      config('b-1', { image: { command: [process.execPath, '-e', 'process.exit(3)'] } }),
    );
    await expect(pool.acquire('ns/broken')).rejects.toThrow(/exited while starting/);
    pool.configure(
      'ns/secret',
      config('s-1', { env: () => Promise.reject(new Error('secret "kafka" not found')) }),
    );
    await expect(pool.acquire('ns/secret')).rejects.toThrow(/secret "kafka" not found/);
  });
});
