// Starts the real web mode (`electron/web/serve.ts`, the same entry as `npm run -s web`) as a child process with
// its own config directory (so profiles saved by one test never leak into another or into the user's), and
// reads the URL with its token from stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface WebMode {
  /** `http://127.0.0.1:<port>/?token=…` */
  url: string;
  /** The page URL for a screen, e.g. `screen('monitor')`. */
  screen: (route: string) => string;
  /** Everything the server wrote to stderr so far (engine log), for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

/** `playgroundDir`: another playground than the test run's (e.g. a private one, see upstream-playground.ts). */
export async function startWebMode(options: { playgroundDir?: string } = {}): Promise<WebMode> {
  const configDir = mkdtempSync(join(tmpdir(), 'knd-e2e-config-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'electron/web/serve.ts'), '--port', '0'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        KNATIVE_DESK_CONFIG_DIR: configDir,
        ...(options.playgroundDir ? { KNATIVE_DESK_PLAYGROUND_DIR: options.playgroundDir } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web mode printed no URL within 60 s:\n${stdout}\n${stderr}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    screen: (route) => `${url}#/${route}`,
    log: () => stderr,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
