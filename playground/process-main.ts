// The start every long-running playground process shares (runtime, kafka-source, KIngress, FC: each started by its
// part as `tsx <script> <dir>/state.json`): read the playground's state file named on the command line, log
// timestamped lines to stdout (the part's log file), read numeric tuning knobs from the environment.
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { PlaygroundInfo } from './info';
import { describeError } from './kube';

export function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/** A positive number from the environment, or `fallback` when it is unset or not one. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The playground state named by the first argument; exits 2 with a usage line naming `script` without one. */
export function stateFromArgv(script: string): PlaygroundInfo {
  const stateFile = process.argv[2];
  if (!stateFile || !existsSync(stateFile)) {
    process.stderr.write(
      `usage: node <bundle of ${script}> <playground-dir>/state.json (got "${stateFile ?? ''}")\n`,
    );
    process.exit(2);
  }
  return JSON.parse(readFileSync(stateFile, 'utf8')) as PlaygroundInfo;
}

/** The playground's kubeconfig at its admin context. */
export function adminKubeConfigOf(state: PlaygroundInfo): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  kc.setCurrentContext(state.contexts.admin);
  return kc;
}

/** On SIGTERM or SIGINT: runs `stop` once, then exits 0; exits 1 if stopping takes longer than `graceMs`. */
export function exitOnSignals(graceMs: number, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(1), graceMs);
    await stop(signal);
    clearTimeout(hardStop);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Runs a process's main; a failure is printed with its stack and the process exits 1. */
export function runMain(what: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${what} failed: ${describeError(error)}\n${(error as Error).stack ?? ''}\n`);
    process.exit(1);
  });
}
