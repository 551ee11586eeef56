import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from './url-safety';

describe('isSafeExternalUrl', () => {
  it.each(['https://knative.dev/docs', 'http://127.0.0.1:8080/'])('allows %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@example.com/',
    'not a url',
    '',
  ])('refuses %s', (url) => expect(isSafeExternalUrl(url)).toBe(false));
});
