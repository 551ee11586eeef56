// `npm run -s playground -- up|down|status [--json] [--dir <path>] [--no-kafka]`
// Progress and errors go to stderr; with --json, stdout carries exactly one JSON object.
import { parseArgs } from 'node:util';
import { MissingToolError, PartFailedError } from './errors';
import { downPlayground, playgroundStatus, upPlayground, type StatusResult } from './playground';
import { silentProgress, stderrProgress } from './progress';

const USAGE = `usage: npm run -s playground -- <up|down|status> [options]

  up        start the control plane, Knative Serving, the virtual node, KIngress, Kafka and the doubles; reuse what
            already runs (Linux, root)
  down      stop every running part, by pid (data is kept; --purge is not offered on purpose)
  status    which parts run, their pids, ports and logs (exit 1 when any part is down)

options:
  --json        print one JSON object on stdout (progress stays on stderr)
  --dir <path>  playground dir (default $KNATIVE_DESK_PLAYGROUND_DIR or ~/.cache/knative-desk/playground)
  --no-kafka    leave Kafka (and what needs it) out
  --without <part>[,<part>]  leave these parts (and what needs them) out, e.g. --without fc
  --quiet       no progress on stderr
  -h, --help    this text`;

function printStatus(status: StatusResult): void {
  if (!status.info) {
    console.log(`no playground in ${status.dir} (run: npm run -s playground -- up)`);
    return;
  }
  console.log(`playground ${status.dir}: ${status.healthy ? 'healthy' : 'NOT healthy'}`);
  console.log(`  kubeconfig   ${status.info.kubeconfig}`);
  console.log(`  api server   ${status.info.apiServer || '-'}`);
  console.log(`  kafka        ${status.info.kafkaBrokers.join(', ') || '-'}`);
  for (const [name, part] of Object.entries(status.parts)) {
    const state = part.healthy ? 'healthy' : part.running ? 'running, NOT answering' : 'stopped';
    const ports = part.ports
      ? Object.entries(part.ports)
          .map(([role, port]) => `${role}=${port}`)
          .join(' ')
      : '';
    console.log(`  ${name.padEnd(15)} ${state.padEnd(22)} pid ${String(part.pid).padEnd(8)} ${ports}`);
    console.log(`  ${''.padEnd(15)} log ${part.log}`);
  }
}

// kafkajs 2.2.4 schedules a timer with a negative delay on every connection, which Node >= 23 reports as a
// TimeoutNegativeWarning (harmless: Node clamps it to 1 ms). Drop that one warning so progress output stays readable.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning')
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      dir: { type: 'string' },
      'no-kafka': { type: 'boolean', default: false },
      without: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  const options = {
    dir: values.dir,
    kafka: !values['no-kafka'],
    without: values.without.flatMap((names) => names.split(',')).filter(Boolean),
    progress: values.quiet ? silentProgress : stderrProgress,
  };
  switch (command) {
    case 'up': {
      const began = Date.now();
      const { info, started, reused } = await upPlayground(options);
      options.progress(
        `playground up in ${((Date.now() - began) / 1000).toFixed(1)} s` +
          ` (started: ${started.join(', ') || 'none'}; reused: ${reused.join(', ') || 'none'})`,
      );
      if (values.json) console.log(JSON.stringify(info, null, 2));
      else {
        console.log(`kubeconfig:    ${info.kubeconfig}`);
        console.log(`api server:    ${info.apiServer}`);
        console.log(`kafka brokers: ${info.kafkaBrokers.join(', ') || '-'}`);
        console.log(`try: kubectl --kubeconfig ${info.kubeconfig} get crd`);
      }
      return 0;
    }
    case 'down': {
      const { stopped, info } = await downPlayground(options);
      if (values.json) console.log(JSON.stringify({ stopped, parts: info?.parts ?? {} }, null, 2));
      else console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      return 0;
    }
    case 'status': {
      const status = await playgroundStatus(options);
      if (values.json) {
        console.log(
          JSON.stringify(
            { ...(status.info ?? { dir: status.dir }), healthy: status.healthy, parts: status.parts },
            null,
            2,
          ),
        );
      } else printStatus(status);
      return status.healthy ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof MissingToolError || error instanceof PartFailedError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG) console.error(error);
      process.exitCode = 1;
    }
  },
);
