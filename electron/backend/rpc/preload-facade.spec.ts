// The preload facade, built from the contract over a PortClient, against a real engine session on the other end
// of an in-memory channel (what the MessagePort does under Electron).
import { describe, expect, it } from 'vitest';
import { scratchDir, scratchEngine } from '../../../test/support/scratch-engine';
import { EngineSession } from './session';
import { contract, splitName } from '../../common/contract';
import { buildFacade } from '../../common/facade-builder';
import { PortClient } from '../../common/port-client';

function wired() {
  const engine = scratchEngine('electron', scratchDir('facade'));
  const client = new PortClient();
  const session = new EngineSession(engine.handlers, (message) =>
    queueMicrotask(() => client.receive(structuredClone(message))),
  );
  return { client, session, facade: buildFacade(client) };
}

describe('preload facade', () => {
  it('has exactly one function per contract entry', () => {
    const { facade } = wired();
    const loose = facade as unknown as Record<string, Record<string, unknown>>;
    const exposed = Object.entries(loose).flatMap(([domain, verbs]) =>
      Object.keys(verbs).map((verb) => `${domain}:${verb}`),
    );
    expect(exposed.sort()).toEqual(Object.keys(contract).sort());
    for (const name of Object.keys(contract)) {
      const [domain, verb] = splitName(name);
      expect(typeof loose[domain]?.[verb]).toBe('function');
    }
  });

  it('queues calls until the port connects, then settles them with envelopes', async () => {
    const { client, session, facade } = wired();
    const pending = facade.app.info({});
    client.connect((message) => session.receive(structuredClone(message)));
    const settled = await pending;
    expect(settled).toMatchObject({ ok: true, value: { mode: 'electron' } });
    const refused = await facade.clusters.check({ context: '' } as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('fails pending work as unreachable when the engine goes away', async () => {
    const { client, facade } = wired();
    const pending = facade.app.info({});
    client.disconnect('engine exited');
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: 'engine exited' },
    });
  });
});
