import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import type { PlaygroundPort, PlaygroundState } from './playground-port';
import { PlaygroundService } from './playground-service';

const state: PlaygroundState = {
  dir: '/tmp/pg',
  kubeconfig: '/tmp/pg/kubeconfig',
  contexts: { admin: 'knative-desk-playground', viewer: 'knative-desk-playground-viewer' },
  apiServer: 'https://127.0.0.1:6443',
  kafkaBrokers: ['127.0.0.1:9092'],
  viewerNamespace: 'knative-desk-demo',
  parts: { 'kube-apiserver': { running: true, port: 6443 }, kafka: { running: true, port: 9092 } },
};

describe('PlaygroundService through its port', () => {
  it('without a port (no playground wired) is down and has no facts', async () => {
    const service = new PlaygroundService(undefined);
    expect(service.kubeconfig()).toBeUndefined();
    expect(service.profiles()).toEqual({});
    expect((await service.status()).state).toBe('down');
    expect(() => service.templateFacts()).toThrow(/no playground/);
  });

  it('read-only (the desktop app) reports a running playground from its state file but will not start one', async () => {
    const port: PlaygroundPort = { dir: '/tmp/pg', readState: () => state };
    const service = new PlaygroundService(port);
    const status = await service.status();
    expect(status).toMatchObject({ state: 'up', info: { kafkaBrokers: ['127.0.0.1:9092'] } });
    expect(status.message).toMatch(/npm run -s playground -- up/);
    expect(service.isPlaygroundContext('knative-desk-playground-viewer')).toBe(true);
    expect(service.templateFacts()).toEqual({ kafkaBrokers: ['127.0.0.1:9092'], dataDir: '/tmp/pg/barrage' });
    const events: unknown[] = [];
    await expect(service.start(true, (event) => events.push(event))).rejects.toBeInstanceOf(EngineError);
    expect(events).toEqual([]);
  });

  it('with control, starts through the port and reports its progress lines', async () => {
    const port: PlaygroundPort = {
      dir: '/tmp/pg',
      readState: () => state,
      control: {
        status: async () => ({ healthy: true, info: state, parts: {} }),
        up: async ({ kafka, progress }) => {
          progress(`starting (kafka: ${kafka})`);
          return { started: ['etcd', 'kube-apiserver'] };
        },
        down: async () => ({ stopped: [] }),
      },
    };
    const events: unknown[] = [];
    await new PlaygroundService(port).start(false, (event) => events.push(event));
    expect(events).toEqual([
      { type: 'log', line: 'starting (kafka: false)' },
      { type: 'done', ok: true, message: 'Playground up (2 part(s) started).' },
    ]);
  });

  it('reads a corrupt state file as no playground', () => {
    const service = new PlaygroundService({
      dir: '/tmp/pg',
      readState: () => {
        throw new SyntaxError('Unexpected end of JSON input');
      },
    });
    expect(service.info()).toBeUndefined();
  });
});
