// A Transport over the shared ReplyRouter (electron/common/reply-router.ts): calls settle to a value or an ApiError,
// streams pass straight through. The web mode's WebSocket transport and the integration tests' loopback both extend
// it and add only how messages travel.
import type { ReplyRouter } from '../../../electron/common/reply-router';
import type { Settled } from '../../../electron/common/wire';
import { toApiError } from './errors';
import type { Transport } from './transport';

/** A settled answer → its value, or its error thrown as an ApiError. */
export async function valueOf(settled: Promise<Settled<unknown>>): Promise<unknown> {
  const result = await settled;
  if (result.ok) return result.value;
  throw toApiError(result.error);
}

export abstract class RouterTransport implements Transport {
  protected abstract readonly router: ReplyRouter;

  call(name: string, payload: unknown): Promise<unknown> {
    return valueOf(this.router.call(name, payload));
  }

  readonly subscribe: Transport['subscribe'] = (name, params, onEvents, onEnd) =>
    this.router.subscribe(name, params, onEvents, onEnd);
}
