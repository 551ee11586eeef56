import { describe, expect, it } from 'vitest';
import { matchesFilter, viewBytes, viewRecord } from './record-view';

describe('viewBytes', () => {
  it('pretty-prints JSON, keeps text, shows binary as hex and null as null', () => {
    expect(viewBytes(Buffer.from('{"a":1,"b":[2]}'))).toEqual({
      kind: 'json',
      text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}',
    });
    expect(viewBytes(Buffer.from('弹幕 hello'))).toEqual({ kind: 'text', text: '弹幕 hello' });
    expect(viewBytes(Buffer.from('{not json'))).toEqual({ kind: 'text', text: '{not json' });
    expect(viewBytes(Buffer.from([0, 1, 0xff, 0x10]))).toEqual({ kind: 'binary', hex: '0001ff10', bytes: 4 });
    expect(viewBytes(null)).toEqual({ kind: 'null' });
  });

  it('caps hex at 4 KiB but gives the real size', () => {
    const view = viewBytes(Buffer.alloc(10_000, 0xfe));
    expect(view).toMatchObject({ kind: 'binary', bytes: 10_000 });
    expect(view.kind === 'binary' && view.hex.length).toBe(8192);
  });
});

describe('matchesFilter', () => {
  const record = viewRecord({
    partition: 0,
    offset: '3',
    timestamp: 1,
    key: Buffer.from('user-7'),
    value: Buffer.from('{"text":"Hello Barrage"}'),
    headers: { traceparent: Buffer.from('00-abc-01'), multi: [Buffer.from('x'), 'y'] },
  });

  it('searches key, value and headers, case-insensitively', () => {
    expect(record.headers).toEqual([
      { name: 'traceparent', value: '00-abc-01' },
      { name: 'multi', value: 'x' },
      { name: 'multi', value: 'y' },
    ]);
    expect(matchesFilter(record, '')).toBe(true);
    expect(matchesFilter(record, 'barrage')).toBe(true);
    expect(matchesFilter(record, 'USER-7')).toBe(true);
    expect(matchesFilter(record, '00-abc')).toBe(true);
    expect(matchesFilter(record, 'nope')).toBe(false);
  });
});
