// Processing throughput per process at concurrency 2 (the containerConcurrency the template sets), each figure
// printed as `name: value unit (reference, ratio)` with the reference measured in the same run:
// - messages stored per second by one processing process (workloads/processing/main.ts started as its own process,
//   SQLite store, binary-mode CloudEvents as a KafkaSource delivers them, each with a new barrage id, autocannon
//   with 2 connections), against a bare node:http server answering 202 driven by the same harness (same requests,
//   same connections, same duration): the ceiling of "HTTP on this machine";
// - the same throughput against the same processing done in-process (ProcessingService.process: rate-limit count
//   + idempotent put into a SQLite store, 2 loops at a time): what HTTP + CloudEvent parsing + a process boundary
//   cost on top of the store writes;
// - p50 / p99 latency of a delivery against the bare server's p50 / p99.
// Loopback only; each phase is bounded by time (durationSeconds) and by count (maxRequests: autocannon's
// maxOverallRequests, the in-process loop's own counter).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { trace } from '@opentelemetry/api';
import autocannon from 'autocannon';
import { build as buildHistogram } from 'hdr-histogram-js';
import { monotonicFactory } from 'ulid';
import type { BarrageMessage } from '../workloads/shared/barrage-message';
import { ProcessingService } from '../workloads/processing/server';
import { SensitiveWordMasker } from '../workloads/processing/sensitive-words';
import { SqliteResultStore } from '../workloads/store/sqlite-store';
import { startWorkload } from '../test/support/workloads/workload-process';
import { closedLoop } from './closed-loop';
import { reportFigures } from './report-figure';

const durationSeconds = 8;
const connections = 2;
const maxRequests = 200_000;
const users = 50;
const sensitiveWords = 'spam,scam,badword';

const nextId = monotonicFactory();
let sequence = 0;

function nextMessage(): BarrageMessage {
  sequence += 1;
  return {
    id: nextId(),
    text: `bench message ${sequence} with some spam in it`,
    color: '#00ff00',
    mode: 'scroll',
    user: `user-${sequence % users}`,
    sentAt: new Date().toISOString(),
  };
}

/** One binary-mode CloudEvent as Knative's KafkaSource sends it. */
function nextDelivery(): { headers: Record<string, string>; body: string } {
  const message = nextMessage();
  return {
    headers: {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': `partition:0/offset:${sequence}`,
      'ce-type': 'dev.knative.kafka.event',
      'ce-source': '/apis/v1/namespaces/bench/kafkasources/barrage-source#barrage-info',
      'ce-subject': `partition:0#${sequence}`,
      'ce-key': message.user ?? message.id,
    },
    body: JSON.stringify(message),
  };
}

interface Driven {
  readonly result: autocannon.Result;
  /** Latency percentiles in ms from autocannon's per-response times (µs resolution; its own summary is whole ms). */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function drive(url: string, seconds: number): Promise<Driven> {
  const histogram = buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        maxOverallRequests: maxRequests,
        requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...nextDelivery() }) }],
      },
      (error, finished) => (error ? reject(error as Error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      histogram.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  if (result['2xx'] + result.non2xx > maxRequests) throw new Error('request bound exceeded');
  return {
    result,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
}

/** A bare HTTP server answering 202 to everything, as its own process (like processing). */
async function startBareServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const source = `
    const server = require('node:http').createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(202).end());
    });
    server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
    process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not start')), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString('utf8'));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The reference without HTTP: the processing service's own work against an in-process SQLite store. */
async function inProcess(path: string): Promise<{ rate: number; p50Ms: number; p99Ms: number }> {
  const store = new SqliteResultStore(path);
  const service = new ProcessingService({
    store,
    tracer: trace.getTracer('bench'),
    rules: {
      masker: new SensitiveWordMasker(sensitiveWords.split(',')),
      maxTextLength: 100,
      rateLimitCount: 5,
      rateLimitWindowMs: 10_000,
    },
  });
  try {
    return await closedLoop(
      { workers: connections, durationMs: durationSeconds * 1000, maxOperations: maxRequests },
      async () => {
        const outcome = await service.process(nextMessage());
        if (outcome.status !== 'stored') throw new Error(`in-process write was ${outcome.status}`);
      },
    );
  } finally {
    await store.close();
  }
}

function storedRows(path: string): number {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    const row = database.prepare('SELECT COUNT(*) AS n FROM barrage_results').get();
    return Number(row?.n ?? 0);
  } finally {
    database.close();
  }
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-processing-'));
  const sqlitePath = join(directory, 'results.sqlite');
  const processing = await startWorkload('workloads/processing/main.ts', {
    STORE: 'sqlite',
    SQLITE_PATH: sqlitePath,
    SENSITIVE_WORDS: sensitiveWords,
  });
  const bare = await startBareServer();
  try {
    // Warm both servers (connections, JIT, SQLite pages) before measuring.
    await drive(`${processing.url}/`, 1);
    await drive(bare.url, 1);
    const before = storedRows(sqlitePath);

    const reference = await drive(bare.url, durationSeconds);
    const measured = await drive(`${processing.url}/`, durationSeconds);
    const result = measured.result;
    const stored = storedRows(sqlitePath) - before;
    // Requests still in flight when autocannon stops are stored but not counted: allow one per connection.
    if (result.non2xx > 0 || result.errors > 0 || Math.abs(stored - result['2xx']) > connections) {
      console.error(
        `processing: ${result.non2xx} non-2xx, ${result.errors} errors, ${stored} rows for ${result['2xx']} 2xx`,
      );
    }
    const direct = await inProcess(join(directory, 'in-process.sqlite'));

    const rate = stored / durationSeconds;
    const bareRate = reference.result['2xx'] / durationSeconds;
    const inProcessName = 'ProcessingService.process in-process at concurrency 2';
    reportFigures([
      ['processing throughput per process (2 connections)', rate, 'msg/s', 'bare 202 server', bareRate],
      ['processing throughput vs in-process', rate, 'msg/s', inProcessName, direct.rate],
      ['processing delivery p50', measured.p50Ms, 'ms', 'bare 202 server p50', reference.p50Ms],
      ['processing delivery p99', measured.p99Ms, 'ms', 'bare 202 server p99', reference.p99Ms],
      ['processing delivery p50 vs in-process', measured.p50Ms, 'ms', 'in-process p50', direct.p50Ms],
      ['processing delivery p99 vs in-process', measured.p99Ms, 'ms', 'in-process p99', direct.p99Ms],
    ]);
  } finally {
    await bare.stop();
    await processing.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
