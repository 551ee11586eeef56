import { describe, expect, it } from 'vitest';
import { ApiError, PermissionError, ValidationError } from './errors';
import { causesByField, createEngineClient, toEngineError } from './engine-client';
import type { Transport } from './transport';

describe('toEngineError', () => {
  it('keeps code and details of an envelope-like error, as the matching ApiError class', () => {
    const error = toEngineError({ code: 'forbidden', message: 'no', details: { reason: 'Forbidden' } });
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.code).toBe('forbidden');
    expect(error.details.reason).toBe('Forbidden');
  });
  it('wraps plain errors and strings as internal', () => {
    expect(toEngineError(new Error('boom')).message).toBe('boom');
    expect(toEngineError('x').code).toBe('internal');
  });
});

describe('causesByField', () => {
  it('puts causes next to the field they name and keeps the rest general', () => {
    const error = new ApiError({
      code: 'invalid',
      message: 'bad',
      details: {
        causes: [
          { field: 'parameters.processingMaxScale', message: 'must be at most 1000' },
          { field: 'spec.template.spec.containers[0].image', message: 'Required value' },
          { message: 'something else' },
        ],
      },
    });
    const { byField, general } = causesByField(error, ['processingMaxScale', 'namespace']);
    expect(byField).toEqual({ processingMaxScale: 'must be at most 1000' });
    expect(general).toEqual(['spec.template.spec.containers[0].image: Required value', 'something else']);
  });
});

describe('createEngineClient', () => {
  const sent: string[] = [];
  const transport: Transport = {
    call: async (name, payload) => {
      sent.push(name);
      return name === 'clusters:list' ? { contexts: [], suggested: null, payload } : undefined;
    },
    subscribe: (name, _params, onEvents, onEnd) => {
      sent.push(name);
      queueMicrotask(() => {
        onEvents([{ type: 'status', state: 'live' }]);
        onEnd({ code: 'forbidden', message: 'no', details: {} });
      });
      return () => {};
    },
  };

  it('refuses a request the contract rejects before it reaches the transport, naming the field', async () => {
    sent.length = 0;
    const client = createEngineClient(transport);
    const failure = client.call('clusters:check', { context: 7 } as never).catch((error: unknown) => error);
    const error = (await failure) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details.causes?.map((cause) => cause.field)).toContain('context');
    expect(sent).toEqual([]);
  });

  it('reports bad stream params through onError, and transport events and failures through the handlers', async () => {
    sent.length = 0;
    const client = createEngineClient(transport);
    const refused = await new Promise<ApiError>((resolve) =>
      client.subscribe('workloads:watch', { context: 7 } as never, { onEvent: () => {}, onError: resolve }),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect(sent).toEqual([]);
    const events: unknown[] = [];
    const failed = await new Promise<ApiError>((resolve) =>
      client.subscribe(
        'workloads:watch',
        { context: 'c', namespace: 'n' },
        { onEvent: (event) => events.push(event), onError: resolve },
      ),
    );
    expect(events).toHaveLength(1);
    expect(failed).toBeInstanceOf(PermissionError);
  });
});
