// Reads a request body with a hard size limit, so a huge or endless upload cannot exhaust memory.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`);
  }
}

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume(); // drain so the connection can answer
    throw new BodyTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      request.resume();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * readBody for a handler: a body over the limit is answered through `tooLarge` (the server's own 413 reply, with
 * the reason) and gives undefined, so the handler just returns.
 */
export async function readBodyWithin(
  request: IncomingMessage,
  limitBytes: number,
  tooLarge: (reason: string) => void,
): Promise<Buffer | undefined> {
  try {
    return await readBody(request, limitBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    tooLarge(error.message);
    return undefined;
  }
}
