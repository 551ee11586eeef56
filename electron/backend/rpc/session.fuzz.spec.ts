// Contract fuzzing: thousands of generated invalid messages and requests against the real engine's handlers. Each
// must come back as a validation error (never reach a handler, never throw out of the session, never go
// unanswered), and the session must still serve a valid call afterwards.
import { describe, expect, it } from 'vitest';
import { contract } from '../../common/contract';
import type { EngineMessage } from '../../common/wire';
import { scratchDir, scratchEngine } from '../../../test/support/scratch-engine';
import type { Handlers } from './handlers';
import { EngineSession } from './session';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20261125);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function junk(depth = 0): unknown {
  const kinds = [
    () => null,
    () => undefined,
    () => Math.floor(random() * 1e6) - 5e5,
    () => random() * 1e308 * (random() < 0.5 ? -1 : 1),
    () => Number.NaN,
    () => '',
    () => 'x'.repeat(Math.floor(random() * 70_000)),
    () => '../../etc/passwd',
    () => 'file:///etc/passwd',
    () => 'javascript:alert(1)',
    () => '\u0000\uffff',
    () => random() < 0.5,
    () => (depth > 2 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => junk(depth + 1))),
    () => (depth > 2 ? {} : { [pick(['a', '__proto__', 'constructor', 'context', 'url'])]: junk(depth + 1) }),
  ];
  return pick(kinds)();
}

/** A mutation of a plausible request: valid-looking keys with wrong values, extra keys, or not an object at all. */
function invalidPayloadFor(shapeKeys: string[]): unknown {
  const roll = random();
  if (roll < 0.2) return junk();
  const payload: Record<string, unknown> = {};
  for (const key of shapeKeys) if (random() < 0.7) payload[key] = junk();
  if (roll > 0.8 || shapeKeys.length === 0) payload[`extra${Math.floor(random() * 100)}`] = junk();
  return payload;
}

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

describe('contract fuzzing', () => {
  it('answers ≥ 1,000 invalid requests with validation errors and never reaches a handler', async () => {
    const engine = scratchEngine('web', scratchDir('fuzz'));
    let handlerCalls = 0;
    const spied = Object.fromEntries(
      Object.entries(engine.handlers).map(([name, handler]) => [
        name,
        (...args: unknown[]) => {
          handlerCalls++;
          return (handler as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    ) as unknown as Handlers;
    const replies: EngineMessage[] = [];
    const session = new EngineSession(spied, (message) => replies.push(message), { flushIntervalMs: 1 });
    const names = Object.keys(contract) as (keyof typeof contract)[];

    let sent = 0;
    let id = 1;
    const expectedIds = new Set<number>();
    while (sent < 1500) {
      const name = pick(names);
      const spec = contract[name];
      const schema = spec.kind === 'operation' ? spec.request : spec.params;
      const payload = invalidPayloadFor(keysOf(schema));
      if (schema.safeParse(payload).success) continue; // only invalid requests count
      const messageId = id++;
      expectedIds.add(messageId);
      if (spec.kind === 'operation') session.receive({ t: 'call', id: messageId, name, payload });
      else session.receive({ t: 'subscribe', id: messageId, name, params: payload });
      sent++;
    }
    // Wire-level garbage: unknown names, wrong kinds, malformed envelopes.
    let garbage = 0;
    for (let i = 0; i < 300; i++) {
      const messageId = id++;
      const variants: unknown[] = [
        { t: 'call', id: messageId, name: `nope:${i}`, payload: {} },
        { t: 'call', id: messageId, name: '__proto__', payload: {} },
        { t: 'subscribe', id: messageId, name: 'clusters:list', params: {} },
        { t: 'call', id: messageId, name: 'workloads:watch', payload: {} },
      ];
      session.receive(variants[i % variants.length]);
      expectedIds.add(messageId);
      session.receive(junk());
      session.receive({ t: pick(['call', 'subscribe', 'x']), id: junk(), name: junk() });
      garbage += 2;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(handlerCalls).toBe(0);
    const answered = new Map<number, EngineMessage>();
    for (const reply of replies) if ('id' in reply) answered.set(reply.id, reply);
    for (const messageId of expectedIds) {
      const reply = answered.get(messageId);
      expect(reply, `message ${messageId} got no answer`).toBeDefined();
      const error = reply && 'error' in reply ? reply.error : null;
      expect(error?.code).toMatch(/^(invalid-request|unknown-operation)$/);
    }
    expect(replies.filter((reply) => reply.t === 'protocol-error').length).toBeGreaterThanOrEqual(
      garbage / 2,
    );

    // Still healthy: a valid call goes through.
    session.receive({ t: 'call', id: 999_999, name: 'app:info', payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const last = replies.find((reply) => reply.t === 'result' && reply.id === 999_999);
    expect(last).toBeDefined();
    session.close();
  });
});
