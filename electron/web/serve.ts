// `npm run -s web -- [--port N]`: web mode. Starts the engine in this process, serves the built renderer and the
// contract on 127.0.0.1, and prints the URL (with its one-time token) to open in a browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { playgroundEnginePort } from '../../playground/engine-port';
import { createEngine } from '../backend/engine';
import { WEB_MODE_SECRET_WARNING } from '../backend/secrets/secret-store';
import { startWebServer } from './web-server';

const repoRoot = join(import.meta.dirname, '..', '..');

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be a whole number from 0 to 65535 (0 = any free port), not "${value}"`);
  }
  return port;
}

export async function runWebMode(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
  });
  if (values.help) {
    console.log('usage: npm run -s web -- [--port N]   (serves on 127.0.0.1 only; open the printed URL)');
    return;
  }
  const port = parsePort(values.port);
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  const log = (line: string) => process.stderr.write(`[engine] ${line}\n`);
  // Web/dev mode runs from a source checkout, so the console can start and stop the playground itself.
  const engine = createEngine({ mode: 'web', version, log, playground: playgroundEnginePort() });
  const server = await startWebServer({
    handlers: engine.handlers,
    root: join(repoRoot, 'dist', 'renderer'),
    port,
    log,
  });
  process.stderr.write(`warning: ${WEB_MODE_SECRET_WARNING}\n`);
  console.log(`knative-desk web mode: open ${server.url}`);
  console.log(
    '(the token in the URL is this run’s key; anyone with it can use the console as you. Ctrl-C stops.)',
  );

  const stop = async () => {
    await server.close();
    await engine.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWebMode().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
