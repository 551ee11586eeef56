// Read errors while serving the built UI: each one is an HTTP answer (or a cut-short body), never a crash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { serveStatic, type OpenFile } from './static-files';

const root = mkdtempSync(join(tmpdir(), 'knd-static-'));
writeFileSync(join(root, 'app.js'), 'console.log(1)');
let server: Server | undefined;
afterEach(() => server?.close());

async function fetchWith(openFile: OpenFile | undefined, path: string) {
  server?.close();
  server = createServer((request, response) => void serveStatic(root, request, response, 1, openFile));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return new Promise<{ status: number; body: string; aborted: boolean }>((resolve) => {
    get({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, aborted: false }));
      response.on('aborted', () => resolve({ status: response.statusCode ?? 0, body, aborted: true }));
      response.on('error', () => resolve({ status: response.statusCode ?? 0, body, aborted: true }));
    }).on('error', () => resolve({ status: 0, body: '', aborted: true }));
  });
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('static files', () => {
  it('serves a file', async () => {
    expect(await fetchWith(undefined, '/app.js')).toMatchObject({ status: 200, body: 'console.log(1)' });
  });

  it('answers 403 when the file may not be opened, and 500 for other open errors', async () => {
    expect((await fetchWith(() => Promise.reject(errno('EACCES')), '/app.js')).status).toBe(403);
    expect((await fetchWith(() => Promise.reject(errno('EIO')), '/app.js')).status).toBe(500);
  });

  it('cuts the response short when reading fails after the headers, and the process lives on', async () => {
    const failing: OpenFile = async () => ({
      stat: async () => ({ isFile: () => true, size: 100 }) as never,
      close: async () => {},
      createReadStream: () =>
        new Readable({
          read() {
            this.push('partial');
            this.destroy(errno('EIO'));
          },
        }) as never,
    });
    // Without the fix the stream's error is unhandled and takes the process down (vitest reports it as a failure).
    const result = await fetchWith(failing, '/app.js');
    expect(result.aborted).toBe(true);
    expect(result.body.length).toBeLessThan(100);
    // Still serving.
    expect((await fetchWith(undefined, '/app.js')).status).toBe(200);
  });
});
