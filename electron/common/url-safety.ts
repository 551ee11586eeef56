// Which links may leave the app for the system browser: http and https only, parsed (not pattern-matched), with
// no credentials in them. Anything else (file:, javascript:, smb:, custom schemes that launch other programs) is
// refused, because `shell.openExternal` hands the URL to the OS, which would run whatever handles the scheme.
export function isSafeExternalUrl(candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  return url.hostname.length > 0;
}
