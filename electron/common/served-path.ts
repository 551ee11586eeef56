// The one path guard for serving the built renderer (the desktop app:// handler and web mode's static server): a
// URL path becomes a path relative to the served folder that cannot leave it, whatever the encoding (`%2e%2e`,
// `%2f`, backslashes). Pure string work, so it is the same on every OS and testable without a file system; callers
// join the result to their root.

/**
 * `'/'` → `'index.html'`; `'/assets/a.js'` → `'assets/a.js'`; `..` segments are resolved and clamped at the root
 * (as path.normalize does for an absolute path), so the result never starts with or contains `..`. Null when the
 * path cannot be decoded or holds a NUL byte. An empty string means the root itself (not a file).
 */
export function servedRelativePath(urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname === '/' ? '/index.html' : urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments: string[] = [];
  for (const segment of decoded.split(/[/\\]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}
