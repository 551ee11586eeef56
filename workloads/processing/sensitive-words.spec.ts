import { describe, expect, it } from 'vitest';
import { parseSensitiveWords, SensitiveWordMasker } from './sensitive-words';

describe('SensitiveWordMasker', () => {
  it('masks every listed word, case-insensitively, one * per character', () => {
    const masker = new SensitiveWordMasker(['spam', 'scam']);
    expect(masker.mask('No SPAM, no Scam, just spam.')).toEqual({
      text: 'No ****, no ****, just ****.',
      maskedCount: 3,
    });
  });

  it('prefers the longest overlapping word so no fragment stays readable', () => {
    const masker = new SensitiveWordMasker(['bad', 'badword']);
    expect(masker.mask('a badword here').text).toBe('a ******* here');
  });

  it('masks non-Latin words and counts characters, not UTF-16 units', () => {
    const masker = new SensitiveWordMasker(['傻瓜', '💩']);
    expect(masker.mask('你是傻瓜💩吗')).toEqual({ text: '你是***吗', maskedCount: 2 });
  });

  it('leaves text alone when no word is listed or none matches', () => {
    expect(new SensitiveWordMasker([]).mask('anything')).toEqual({ text: 'anything', maskedCount: 0 });
    expect(new SensitiveWordMasker(['x1']).mask('clean text')).toEqual({
      text: 'clean text',
      maskedCount: 0,
    });
  });

  it('parses the word list from SENSITIVE_WORDS', () => {
    expect(parseSensitiveWords(' foo, bar ,,foo\nbaz ')).toEqual(['foo', 'bar', 'baz']);
    expect(parseSensitiveWords('')).toEqual([]);
  });
});
