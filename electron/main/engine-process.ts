// Starts the engine in a utilityProcess (a plain Node process: a crash or a heavy Kafka/Kubernetes workload never
// freezes the UI, and the engine never has Electron's powers) and connects each window to it with its own
// MessageChannel. Answers the engine's two requests that need the main process: safeStorage and openExternal.
import { MessageChannelMain, app, safeStorage, utilityProcess } from 'electron';
import type { BrowserWindow, UtilityProcess } from 'electron';
import { ENGINE_PORT_CHANNEL } from '../common/ipc-channels';
import type { EngineToMain, MainToEngine } from '../common/ipc-channels';
import { EngineSupervisor } from './engine-supervisor';
import { openExternally } from './hardening';
import { runCipher, secretStorageKind } from './secret-storage';

export class EngineProcess {
  private child: UtilityProcess | undefined;
  private supervisor: EngineSupervisor<UtilityProcess> | undefined;
  /** Windows whose page is loaded, to reconnect to a restarted engine. */
  private readonly windows = new Set<BrowserWindow>();

  constructor(
    private readonly entry: string,
    private readonly version: string,
  ) {}

  /** Call after app ready: the async safeStorage answers once the OS key store is reachable. */
  async start(): Promise<void> {
    const storage = await secretStorageKind(safeStorage, process.platform);
    // Supervised: an engine that dies is started again and every window gets a channel to the new one.
    this.supervisor = new EngineSupervisor<UtilityProcess>({
      spawn: (restarts) =>
        utilityProcess.fork(
          this.entry,
          [
            `--secret-storage=${storage}`,
            `--config-dir=${app.getPath('userData')}`,
            `--version=${this.version}`,
            `--restarts=${restarts}`,
          ],
          { serviceName: 'knative-desk engine', stdio: 'inherit' },
        ),
      onStart: (child, restarts) => {
        this.child = child;
        child.on('message', (message: EngineToMain) => this.answer(message));
        if (restarts > 0) for (const window of this.windows) this.sendPort(window);
      },
      onGiveUp: (message) => {
        console.error(message);
        this.child = undefined;
      },
      log: (line) => console.error(line),
    });
    this.supervisor.start();
  }

  private reply(message: MainToEngine): void {
    this.child?.postMessage(message);
  }

  private answer(message: EngineToMain): void {
    if (message.type === 'cipher') {
      runCipher(safeStorage, message.op, message.value).then(
        (value) => this.reply({ type: 'reply', id: message.id, ok: true, value }),
        (error: unknown) =>
          this.reply({ type: 'reply', id: message.id, ok: false, error: (error as Error).message }),
      );
    } else if (message.type === 'open-external') {
      const opened = openExternally(message.url);
      this.reply({
        type: 'reply',
        id: message.id,
        ok: opened,
        ...(opened ? {} : { error: 'only http(s) links open' }),
      });
    }
  }

  /** Gives the window its own channel to the engine once its page (and preload) is loaded. */
  connect(window: BrowserWindow): void {
    // A reload gets a fresh page and preload: give it a fresh channel (the old one closes with the old page).
    window.webContents.on('did-finish-load', () => {
      this.windows.add(window);
      this.sendPort(window);
    });
    window.on('closed', () => this.windows.delete(window));
  }

  private sendPort(window: BrowserWindow): void {
    if (!this.child || window.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    this.child.postMessage({ type: 'connect', windowId: window.id } satisfies MainToEngine, [port1]);
    window.webContents.postMessage(ENGINE_PORT_CHANNEL, null, [port2]);
  }

  stop(): void {
    this.supervisor?.stop();
  }
}
