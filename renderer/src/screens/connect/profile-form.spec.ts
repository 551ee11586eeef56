import { describe, expect, it } from 'vitest';
import { fcSaveRequest, kafkaProfileKind, kafkaSaveRequest, fcProfileKind } from './profile-kinds';
import { errorFieldNames, fallbackProfileId, isEnabled, listOf } from './profile-form';
import { failedCheckLine } from './profiles-panel';
import { fcSaveProfileRequest } from '../../../../electron/common/schemas/fc';
import { kafkaSaveProfileRequest } from '../../../../electron/common/schemas/kafka';
import { toEngineError } from '../../engine/engine-client';

describe('profile kinds', () => {
  it('FC: trims what was typed, leaves out an empty endpoint and an empty secret (update keeps the stored one)', () => {
    const request = fcSaveRequest({
      ...fcProfileKind.emptyForm,
      name: ' prod ',
      accountId: ' 123 ',
      accessKeyId: ' AK ',
      endpoint: '  ',
    });
    expect(request).toEqual({ name: 'prod', accountId: '123', region: 'cn-shanghai', accessKeyId: 'AK' });
    expect(fcSaveProfileRequest.safeParse(request).success).toBe(true);
    expect(
      fcSaveRequest({ ...fcProfileKind.emptyForm, endpoint: ' https://x ', accessKeySecret: ' s ' }),
    ).toMatchObject({ endpoint: 'https://x', accessKeySecret: ' s ' });
  });

  it('Kafka: brokers from a comma list, SASL only with a mechanism, password only when typed', () => {
    const base = { ...kafkaProfileKind.emptyForm, name: 'k', brokers: ' a:1, ,b:2 ', username: 'u' };
    expect(kafkaSaveRequest(base)).toEqual({ name: 'k', brokers: ['a:1', 'b:2'], ssl: false });
    const sasl = kafkaSaveRequest({ ...base, mechanism: 'plain', ssl: true });
    expect(sasl).toEqual({
      name: 'k',
      brokers: ['a:1', 'b:2'],
      ssl: true,
      sasl: { mechanism: 'plain', username: 'u' },
    });
    expect(kafkaSaveProfileRequest.safeParse(sasl).success).toBe(true);
    expect(kafkaSaveRequest({ ...base, mechanism: 'plain', password: 'p' }).sasl?.password).toBe('p');
  });

  it('every field of a kind is a key of its empty form, so the form renders each one', () => {
    for (const kind of [fcProfileKind, kafkaProfileKind] as const) {
      for (const field of kind.fields) expect(Object.keys(kind.emptyForm)).toContain(field.key);
    }
  });
});

describe('profile form', () => {
  it('matches server causes to members before a group alias, and never to a checkbox (it cannot show one)', () => {
    expect(errorFieldNames(kafkaProfileKind.fields)).toEqual([
      'name',
      'brokers',
      'username',
      'password',
      'sasl',
    ]);
    expect(errorFieldNames(fcProfileKind.fields)).toEqual([
      'name',
      'accountId',
      'region',
      'endpoint',
      'accessKeyId',
      'accessKeySecret',
    ]);
  });

  it('disables the SASL user until a mechanism is picked', () => {
    const user = kafkaProfileKind.fields.find((field) => field.key === 'username');
    expect(user && isEnabled(user, kafkaProfileKind.emptyForm)).toBe(false);
    expect(user && isEnabled(user, { ...kafkaProfileKind.emptyForm, mechanism: 'plain' })).toBe(true);
  });

  it('falls back to the playground profile, else the only one, and keeps a choice that still exists', () => {
    const user = { id: 'u', origin: 'user' as const };
    const playground = { id: 'p', origin: 'playground' as const };
    expect(fallbackProfileId([user, playground], null)).toBe('p');
    expect(fallbackProfileId([user, playground], 'gone')).toBe('p');
    expect(fallbackProfileId([user, playground], 'u')).toBeUndefined();
    expect(fallbackProfileId([user], null)).toBe('u');
    expect(fallbackProfileId([user, { id: 'v', origin: 'user' }], null)).toBeUndefined();
    expect(fallbackProfileId([], null)).toBeUndefined();
  });

  it('lists comma-separated items', () => {
    expect(listOf(' a , b,,c ')).toEqual(['a', 'b', 'c']);
    expect(listOf('')).toEqual([]);
  });

  it('a failed check names the code first and then the server reason (what the e2e checks look for)', () => {
    const error = toEngineError({
      code: 'unauthorized',
      message: 'bad key',
      details: { reason: 'SignatureNotMatch' },
    });
    expect(failedCheckLine(error)).toBe('unauthorized: SignatureNotMatch: bad key');
    expect(failedCheckLine(toEngineError({ code: 'unreachable', message: 'down', details: {} }))).toBe(
      'unreachable: down',
    );
  });
});
