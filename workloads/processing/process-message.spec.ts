import { describe, expect, it } from 'vitest';
import type { BarrageMessage } from '../shared/barrage-message';
import {
  normaliseWhitespace,
  processMessage,
  truncateToCodePoints,
  type ProcessingRules,
} from './process-message';
import { SensitiveWordMasker } from './sensitive-words';

const rules: ProcessingRules = {
  masker: new SensitiveWordMasker(['spam']),
  maxTextLength: 10,
  rateLimitCount: 3,
  rateLimitWindowMs: 10_000,
};

const message: BarrageMessage = {
  id: '01JF0000000000000000000000',
  text: '  hello \n\t you  ',
  color: '#ffffff',
  mode: 'scroll',
  user: 'alice',
  sentAt: '2026-01-01T00:00:00.000Z',
};

describe('processMessage', () => {
  it('normalises whitespace and stamps processedAt, keeping the message fields', () => {
    const now = new Date('2026-01-01T00:00:01.000Z');
    expect(processMessage(message, rules, 0, now)).toEqual({
      ...message,
      text: 'hello you',
      flags: [],
      processedAt: '2026-01-01T00:00:01.000Z',
    });
    expect(processMessage({ ...message, text: 'hello brave world' }, rules, 0, now)).toMatchObject({
      text: 'hello brav',
      flags: ['truncated'],
    });
  });

  it('masks after truncating and flags both', () => {
    const result = processMessage({ ...message, text: 'spam spam spam' }, rules, 0, new Date());
    expect(result.text).toBe('**** ****');
    expect(result.flags).toEqual(['truncated', 'masked']);
  });

  it('flags a user at or above the rate limit, never an anonymous sender', () => {
    const short = { ...message, text: 'ok' };
    expect(processMessage(short, rules, 2, new Date()).flags).toEqual([]);
    expect(processMessage(short, rules, 3, new Date()).flags).toEqual(['rate-limited']);
    const { user: _user, ...anonymous } = short;
    expect(processMessage(anonymous, rules, 99, new Date()).flags).toEqual([]);
  });
});

describe('text helpers', () => {
  it('collapses all whitespace kinds, including zero-width spaces', () => {
    expect(normaliseWhitespace('\u200b a\u00a0\u3000b\r\n c \u200b')).toBe('a b c');
  });

  it('truncates by code points without splitting surrogate pairs', () => {
    expect(truncateToCodePoints('😀😀😀', 2)).toEqual({ text: '😀😀', truncated: true });
    expect(truncateToCodePoints('abc', 3)).toEqual({ text: 'abc', truncated: false });
  });
});
