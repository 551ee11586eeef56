// The two shapes an entry of the contract can take. Everything that crosses between the UI and the engine is one
// of these, so the preload facade, the engine's dispatcher and the renderer's client can all be derived by walking
// the contract object instead of keeping their own channel lists.
import type { z } from 'zod';

/** A request/response call: the UI sends `request`, the engine answers once with `response` or an error. */
export interface OperationSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'operation';
  readonly request: Req;
  readonly response: Res;
  /** One line for generated docs and error messages. */
  readonly summary: string;
}

/**
 * A subscription: the UI opens it with `params`, the engine pushes `event`s (in batches) until the UI unsubscribes
 * or the engine ends it (a finite stream such as a deploy run ends by itself, with or without an error).
 */
export interface StreamSpec<Params extends z.ZodType = z.ZodType, Event extends z.ZodType = z.ZodType> {
  readonly kind: 'stream';
  readonly params: Params;
  readonly event: Event;
  readonly summary: string;
  /** True when the stream ends by itself (deploy runs, barrage sends); false for watches that run until closed. */
  readonly finite: boolean;
}

export function operation<Req extends z.ZodType, Res extends z.ZodType>(
  summary: string,
  request: Req,
  response: Res,
): OperationSpec<Req, Res> {
  return { kind: 'operation', request, response, summary };
}

export function stream<Params extends z.ZodType, Event extends z.ZodType>(
  summary: string,
  params: Params,
  event: Event,
  options: { finite?: boolean } = {},
): StreamSpec<Params, Event> {
  return { kind: 'stream', params, event, summary, finite: options.finite ?? false };
}

export type AnySpec = OperationSpec | StreamSpec;
