import { describe, expect, it } from 'vitest';
import { servedRelativePath } from './served-path';

describe('servedRelativePath', () => {
  it('maps the root to index.html and keeps ordinary paths', () => {
    expect(servedRelativePath('/')).toBe('index.html');
    expect(servedRelativePath('/assets/a.js')).toBe('assets/a.js');
    expect(servedRelativePath('/assets/./a%20b.js')).toBe('assets/a b.js');
  });

  it('never leaves the root, however the way up is spelled', () => {
    for (const hostile of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/a/..%2F..%2F..%2F..%2Fetc/passwd',
      '/..%5c..%5cetc%5cpasswd',
    ]) {
      const relative = servedRelativePath(hostile);
      expect(relative, hostile).toBe('etc/passwd');
    }
    expect(servedRelativePath('/..')).toBe('');
  });

  it('refuses what cannot be decoded and NUL bytes', () => {
    expect(servedRelativePath('/%E0%A4%A')).toBeNull();
    expect(servedRelativePath('/index.html%00.png')).toBeNull();
  });
});
