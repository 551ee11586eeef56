// RFC 6761 §6.3 reserves `localhost` and every name under it for the loopback interface. Browsers (Chromium,
// Firefox) and curl resolve `*.localhost` to loopback themselves; glibc does so only with nss-myhostname, which many
// machines lack (this one among them). A local cluster whose Knative domain is `localhost` gives URLs like
// `<service>.<ns>.localhost`, so the engine resolves these names the way the UI's browser does, and leaves every
// other name to the system resolver.
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'undici';

/** True for `localhost` and any name under it (`hello.demo.localhost`), with or without a trailing dot. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `dns.lookup` replacement: `*.localhost` → 127.0.0.1 (or ::1 when only IPv6 is asked for), else the system's. */
export function loopbackAwareLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  if (!isLoopbackName(hostname)) {
    // dns.lookup's overloads tie the callback's shape to `options.all`; this passes both through unchanged.
    (systemLookup as unknown as (name: string, opts: LookupOptions, done: LookupCallback) => void)(
      hostname,
      options,
      callback,
    );
    return;
  }
  const address = options.family === 6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 };
  if (options.all) callback(null, [address]);
  else callback(null, address.address, address.family);
}

/** An undici dispatcher for `fetch` that resolves `*.localhost` like a browser (keep-alive pool, one per engine). */
export const loopbackAwareAgent = new Agent({ connect: { lookup: loopbackAwareLookup } });

/**
 * For clients that take a URL but no resolver (autocannon): the URL with a `*.localhost` host replaced by 127.0.0.1,
 * and the Host header to send so the ingress still routes by name. Other URLs come back unchanged.
 */
export function loopbackTarget(url: string): { url: string; hostHeader?: string } {
  const parsed = new URL(url);
  if (!isLoopbackName(parsed.hostname) || parsed.hostname === 'localhost') return { url };
  const hostHeader = parsed.host;
  parsed.hostname = '127.0.0.1';
  return { url: parsed.toString(), hostHeader };
}
