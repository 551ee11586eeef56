import { describe, expect, it } from 'vitest';
import { contract, isContractName, operationNames, splitName, streamNames } from './contract';
import { errorEnvelope } from './errors';
import { formatAge } from './format';

describe('contract', () => {
  it('names every entry domain:verb in lower camel case', () => {
    for (const name of Object.keys(contract)) expect(name).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
  });

  it('splits into operations and streams with nothing left over', () => {
    expect(operationNames.length + streamNames.length).toBe(Object.keys(contract).length);
    expect(operationNames).toContain('clusters:list');
    expect(streamNames).toContain('workloads:watch');
  });

  it('refuses names that are not its own, including inherited object keys', () => {
    expect(isContractName('clusters:list')).toBe(true);
    expect(isContractName('toString')).toBe(false);
    expect(isContractName('__proto__')).toBe(false);
    expect(isContractName(42)).toBe(false);
  });

  it('splits names at the first colon', () => {
    expect(splitName('kafka:watchLag')).toEqual(['kafka', 'watchLag']);
  });

  it('rejects stray request fields instead of dropping them', () => {
    const result = contract['clusters:check'].request.safeParse({ context: 'a', extra: 1 });
    expect(result.success).toBe(false);
  });

  it('applies defaults to stream params', () => {
    const params = contract['barrage:send'].params.parse({ url: 'http://127.0.0.1:1/', message: 'hi' });
    expect(params).toMatchObject({ concurrency: 10, durationSeconds: 10 });
  });

  it('keeps only http(s) URLs for the sender', () => {
    expect(
      contract['barrage:send'].params.safeParse({ url: 'file:///etc/passwd', message: 'x' }).success,
    ).toBe(false);
  });

  it('fills an empty details object into error envelopes', () => {
    expect(errorEnvelope.parse({ code: 'forbidden', message: 'no' })).toEqual({
      code: 'forbidden',
      message: 'no',
      details: {},
    });
  });
});

describe('formatAge', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it.each([
    ['2026-01-01T23:59:30Z', '30s'],
    ['2026-01-01T23:30:00Z', '30m'],
    ['2026-01-01T12:00:00Z', '12h'],
    ['2025-12-20T00:00:00Z', '13d'],
    ['not a time', '?'],
  ])('%s → %s', (created, age) => expect(formatAge(created, now)).toBe(age));
});
