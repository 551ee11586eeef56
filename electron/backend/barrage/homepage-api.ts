// HomePage's HTTP API as the console uses it (see workloads/shared/barrage-message.ts for the body schema).
/** POST a barrage: JSON `{text, color?, mode?, user?}`; 2xx means HomePage accepted it (put it on Kafka). */
export const SEND_PATH = '/api/barrage';
/** Server-sent events of processed barrage results; the event id is the store cursor (resume with Last-Event-ID). */
export const STREAM_PATH = '/api/barrage/stream';

/** Resolves a path against HomePage's base URL, keeping a base path (e.g. an FC proxy prefix). */
export function homepageUrl(base: string, path: string): string {
  const url = new URL(base);
  if (url.pathname.endsWith(path)) return url.toString();
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url.toString();
}
