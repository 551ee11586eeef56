// Proof that patches/cloudevents+10.0.0.patch is applied (npm ci runs patch-package as postinstall): parsing a
// valid CloudEvent builds no ValidationError. Unpatched, cloudevents 10.0.0's JSON parser builds two for every
// event (the argument of isDefinedOrThrow / isStringOrObjectOrThrow, thrown or not), and each captures a stack
// trace: about a fifth of a processing replica's CPU per delivered barrage. Invalid payloads still throw.
import { createRequire } from 'node:module';
import type { ValidationError } from 'cloudevents';
import { HTTP } from 'cloudevents';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// The compiled modules look ValidationError up on this exports object each time they build one.
const validation = require('cloudevents/dist/event/validation.js') as {
  ValidationError: typeof ValidationError;
};
const { JSONParser } = require('cloudevents/dist/parsers.js') as {
  JSONParser: new () => { parse(v: unknown): unknown };
};
const original = validation.ValidationError;
let built = 0;

function countConstructions(): void {
  built = 0;
  validation.ValidationError = class Counted extends original {
    constructor(...args: ConstructorParameters<typeof ValidationError>) {
      super(...args);
      built += 1;
    }
  };
}

afterEach(() => {
  validation.ValidationError = original;
});

const binary = {
  headers: {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-id': 'partition:0/offset:1',
    'ce-type': 'dev.knative.kafka.event',
    'ce-source': '/apis/v1/namespaces/spec/kafkasources/barrage#barrage-info',
  },
  body: JSON.stringify({ id: '1', text: 'hello' }),
};

describe('cloudevents (patched)', () => {
  it('builds no error while parsing a valid binary-mode event', () => {
    countConstructions();
    const event = HTTP.toEvent({ ...binary }) as { data?: unknown };
    expect(event.data).toEqual({ id: '1', text: 'hello' });
    expect(built).toBe(0);
  });

  it('builds no error while parsing a valid structured-mode event', () => {
    countConstructions();
    const body = JSON.stringify({ specversion: '1.0', id: '2', type: 't', source: '/s', data: { a: 1 } });
    const event = HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body }) as {
      data?: unknown;
    };
    expect(event.data).toEqual({ a: 1 });
    expect(built).toBe(0);
  });

  it('still refuses a payload that is neither text nor an object, and a missing one', () => {
    countConstructions();
    const parser = new JSONParser();
    expect(() => parser.parse(42)).toThrow(/invalid payload type/);
    expect(() => parser.parse(undefined)).toThrow(/null or undefined payload/);
    expect(built).toBe(2);
  });
});
