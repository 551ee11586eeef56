// Container logs through the apiserver's pod log subresource (`GET /api/v1/namespaces/<ns>/pods/<pod>/log`, what
// `kubectl logs [-f] [--previous]` calls; the apiserver proxies to the node's kubelet). Read with the context's own
// authentication; a refusal keeps the apiserver's Status (e.g. 400 "container … is waiting to start") so the UI can
// show it, which client-node's Log helper drops for anything but 500.
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { fetch } from 'undici';
import type { Dispatcher } from 'undici';

export interface PodLogOptions {
  follow: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  signal: AbortSignal;
}

export class PodLogError extends Error {
  constructor(
    readonly code: number,
    /** The API server's Status; not named `body`, so the error envelope keeps this error's own message. */
    readonly statusBody: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'PodLogError';
  }
}

/**
 * The API server's refusal in words. Its 404 for the pod's *node* (no kubelet API behind it, e.g. a pod mirrored by
 * a controller without a node) reads like the pod is missing, so it is said plainly.
 */
export function logErrorMessage(status: number, body: unknown, pod: string): string {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message = typeof record.message === 'string' ? record.message : `The log request answered ${status}`;
  const details = (record.details ?? {}) as { name?: unknown };
  if (status === 404 && typeof details.name === 'string' && details.name !== pod) {
    return `The API server cannot read this pod's logs: it found no node "${details.name}" with a kubelet API to ask (kubectl logs fails the same way). It said: ${message}`;
  }
  return message;
}

/** Splits `2026-01-01T00:00:00.123456789Z text` into time and text (timestamps=true puts the time first). */
export function splitTimestamp(line: string): { time: string | null; text: string } {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s.exec(line);
  return match ? { time: match[1]!, text: match[2]! } : { time: null, text: line };
}

/**
 * Streams one container's log, calling `onLines` with whole lines as they arrive; resolves when the server ends the
 * stream (or the signal aborts), rejects with PodLogError on a refusal.
 */
export async function readPodLog(
  config: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  options: PodLogOptions,
  onLines: (lines: string[]) => void,
): Promise<void> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('The context has no cluster.');
  const url = new URL(
    `${cluster.server}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
  );
  url.searchParams.set('container', container);
  url.searchParams.set('follow', String(options.follow));
  url.searchParams.set('timestamps', String(options.timestamps ?? true));
  if (options.tailLines) url.searchParams.set('tailLines', String(options.tailLines));
  if (options.previous) url.searchParams.set('previous', 'true');
  // client-node's own request context carries the context's TLS settings and credentials.
  const context = new RequestContext(url.toString(), HttpMethod.GET);
  await config.applySecurityAuthentication(context);
  const response = await fetch(url.toString(), {
    headers: context.getHeaders(),
    dispatcher: context.getDispatcher() as Dispatcher | undefined,
    signal: options.signal,
  });
  if (response.status !== 200 || !response.body) {
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw new PodLogError(response.status, body, logErrorMessage(response.status, body, pod));
  }
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      if (parts.length > 0) onLines(parts);
    }
  } catch (error) {
    if (options.signal.aborted) return;
    throw error;
  }
  if (pending) onLines([pending]);
}
