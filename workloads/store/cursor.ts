// A cursor a client sent back (SSE Last-Event-ID, `?after=`) that this store never handed out.
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super(`"${cursor.slice(0, 40)}" is not a cursor of this store`);
  }
}
