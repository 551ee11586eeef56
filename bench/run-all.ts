// `npm run -s bench [-- [--long] [filter…]]`: runs every `bench/*.bench.ts` in turn, each as its own child process
// (this Node with `--expose-gc --import tsx`, which the engine bench needs for settled heap figures and the others
// ignore), and passes its stdout through line by line: one `name: value unit (reference, ratio)` per figure.
// Progress and errors of a bench go to stderr.
//
// - filter: run only the files whose name contains one of the words, e.g. `npm run -s bench -- ui playground`.
// - --long: also run the long benches (LONG below): `fault.bench.ts` takes its own private playground and
//   sends 100,000 barrage with faults injected (many minutes), `e2e.bench.ts` takes its own private playground and
//   sends open-loop at 200, 500 and 1,000 msg/s for a minute each; they are left out unless --long is given.
// - A bench that fails (non-zero exit, or killed after BENCH_TIMEOUT_S, default 1800 s) does not stop the others;
//   the exit code is 1 when any failed, and a summary names them.
// The benches that read the default playground (engine, eventing-lag, homepage) need `npm run -s playground -- up`
// first; this runner does not start or stop it. The playground bench runs its own private playground.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { playgroundStatus } from '../playground/playground';
import { silentProgress } from '../playground/progress';

const LONG = new Set(['e2e.bench.ts', 'fault.bench.ts', 'upstream-serving.bench.ts']);
const NEEDS_PLAYGROUND = new Set(['engine.bench.ts', 'eventing-lag.bench.ts', 'homepage.bench.ts']);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 1800) * 1000;

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(benchDir, '..');
const tsx = createRequire(import.meta.url).resolve('tsx');

interface Outcome {
  file: string;
  ok: boolean;
  why: string;
  seconds: number;
}

function runOne(file: string): Promise<Outcome> {
  const began = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '--import', tsx, join(benchDir, file)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`${line}\n`));
  let timedOut = false;
  let kill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    process.stderr.write(`bench: ${file} ran over ${TIMEOUT_MS / 1000} s; stopping it (pid ${child.pid})\n`);
    child.kill('SIGTERM'); // the benches that own processes stop them on SIGTERM
    kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  }, TIMEOUT_MS);
  return new Promise((resolve) => {
    const done = (ok: boolean, why: string) => {
      clearTimeout(timer);
      clearTimeout(kill);
      resolve({ file, ok, why, seconds: (performance.now() - began) / 1000 });
    };
    child.once('error', (error) => done(false, error.message));
    child.once('close', (code, signal) => {
      if (timedOut) done(false, `timed out after ${TIMEOUT_MS / 1000} s`);
      else if (code === 0) done(true, '');
      else done(false, signal ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

async function main(): Promise<number> {
  const { values, positionals: filters } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { long: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const all = readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  if (values.help) {
    console.log(
      `usage: npm run -s bench -- [--long] [filter…]\n\nbenches: ${all.join(', ')}\nlong (only with --long): ${[...LONG].join(', ')}`,
    );
    return 0;
  }
  const matching = all.filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)));
  const selected = matching.filter((file) => values.long || !LONG.has(file));
  const skippedLong = matching.filter((file) => !selected.includes(file));
  if (skippedLong.length > 0) {
    process.stderr.write(`bench: left out (long; add --long to run): ${skippedLong.join(', ')}\n`);
  }
  if (selected.length === 0) {
    process.stderr.write(`bench: nothing to run for ${filters.join(' ')} (benches: ${all.join(', ')})\n`);
    return 2;
  }
  if (selected.some((file) => NEEDS_PLAYGROUND.has(file))) {
    const status = await playgroundStatus({ progress: silentProgress }).catch(() => undefined);
    if (!status?.healthy) {
      process.stderr.write(
        'bench: the default playground is not up and healthy; engine/homepage/runtime benches will fail ' +
          '(start it with: npm run -s playground -- up)\n',
      );
    }
  }

  const outcomes: Outcome[] = [];
  for (const file of selected) {
    process.stderr.write(`bench: ${file}\n`);
    outcomes.push(await runOne(file));
  }
  const failed = outcomes.filter((outcome) => !outcome.ok);
  const summary = outcomes
    .map(
      (o) =>
        `  ${o.ok ? 'ok    ' : 'FAILED'} ${o.file} (${o.seconds.toFixed(0)} s)${o.ok ? '' : `: ${o.why}`}`,
    )
    .join('\n');
  process.stderr.write(
    `bench: ${outcomes.length - failed.length} of ${outcomes.length} passed\n${summary}\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
