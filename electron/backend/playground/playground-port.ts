// What the engine needs from the local playground, as an interface the entry points wire (VS Code-style: services
// behind small interfaces, wired in one place). The engine never imports playground/: the web/dev entry
// (electron/web/serve.ts) hands it the full port from playground/engine-port.ts, which can start and stop the
// playground (and so reaches tsx and go); the packaged desktop engine (utility-entry.ts) hands it only the state-file
// reader, so the desktop bundle has no path to the code that builds and spawns the playground's parts.

/** One process of the playground as its state file records it. */
export interface PlaygroundPartState {
  running: boolean;
  port?: number;
}

/** The playground's state file (`<dir>/state.json` merged with `runtime.json`), as far as the engine reads it. */
export interface PlaygroundState {
  dir?: string;
  kubeconfig: string;
  contexts: { admin: string; viewer: string };
  apiServer: string;
  kafkaBrokers: string[];
  viewerNamespace: string;
  parts: Record<string, PlaygroundPartState>;
  [extra: string]: unknown;
}

/** Starting, stopping and health-checking the playground: only where the playground's sources are at hand. */
export interface PlaygroundControl {
  status(): Promise<{
    healthy: boolean;
    info: PlaygroundState | undefined;
    parts: Record<string, PlaygroundPartState & { healthy: boolean }>;
  }>;
  up(options: { kafka: boolean; progress: (line: string) => void }): Promise<{ started: readonly unknown[] }>;
  down(options: { progress: (line: string) => void }): Promise<{ stopped: readonly unknown[] }>;
}

export interface PlaygroundPort {
  readonly dir: string;
  /** The state file now (undefined when never started); may throw on a corrupt file. */
  readState(): PlaygroundState | undefined;
  /** Absent in the packaged desktop app: it can read a running playground but not start one. */
  readonly control?: PlaygroundControl;
}
