// Entry of the engine under Electron: runs in a utilityProcess (a Node process without Electron APIs), serves one
// EngineSession per window over the MessagePort main hands over, and asks main for the two things only main can
// do: safeStorage encryption and opening links in the system browser.
import { defaultPlaygroundDir, readPlaygroundInfo } from '../../playground/info';
import { createEngine } from './engine';
import { EngineSession } from './rpc/session';
import type { StringCipher } from './secrets/secret-store';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: MessagePortLike[] }) => void): void;
  postMessage(message: unknown): void;
}
interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('utility-entry runs only as an Electron utilityProcess; for a browser use `npm run web`.');
  process.exit(2);
}

let nextId = 1;
const pending = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
function askMain(
  message:
    { type: 'cipher'; op: 'encrypt' | 'decrypt'; value: string } | { type: 'open-external'; url: string },
) {
  return new Promise<string>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    parentPort!.postMessage({ ...message, id });
  });
}

const args = new Map(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]),
);
const cipher: StringCipher | undefined =
  args.get('secret-storage') === 'safe-storage'
    ? {
        encrypt: (value) => askMain({ type: 'cipher', op: 'encrypt', value }),
        decrypt: (value) => askMain({ type: 'cipher', op: 'decrypt', value }),
      }
    : undefined;

const playgroundDir = defaultPlaygroundDir();
const engine = createEngine({
  mode: 'electron',
  version: args.get('version'),
  restarts: Number(args.get('restarts') ?? 0) || 0,
  configDir: args.get('config-dir'),
  // The desktop app only reads a running playground's state file (playground/info.ts: fs, no spawning); it has no
  // path to the code that builds and starts one (tsx, go).
  playground: { dir: playgroundDir, readState: () => readPlaygroundInfo(playgroundDir) },
  cipher,
  openExternal: async (url) => {
    await askMain({ type: 'open-external', url });
  },
  log: (line) => process.stderr.write(`[engine] ${line}\n`),
});

parentPort.on('message', (event) => {
  const message = event.data as { type?: string; id?: number; ok?: boolean; value?: string; error?: string };
  if (message?.type === 'reply' && typeof message.id === 'number') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value ?? '');
    else waiter?.reject(new Error(message.error ?? 'main process refused'));
    return;
  }
  if (message?.type === 'connect') {
    const port = event.ports[0];
    if (!port) return;
    const session = new EngineSession(engine.handlers, (reply) => port.postMessage(reply), {
      log: (line) => process.stderr.write(`[engine] ${line}\n`),
    });
    port.on('message', (portEvent) => session.receive(portEvent.data));
    port.on('close', () => session.close());
    port.start();
  }
});

parentPort.postMessage({ type: 'ready' });
