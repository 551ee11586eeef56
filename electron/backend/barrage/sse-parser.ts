// Incremental parser for server-sent events (the WHATWG event-stream format): feed it text chunks as they arrive,
// get whole events out. Handles CRLF/LF/CR line ends, multi-line data, comments, `id` and `retry`.
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  /** Last id seen (for Last-Event-ID on reconnect); persists across events as the spec says. */
  lastEventId: string | null = null;
  /** Reconnect delay the server asked for, in ms. */
  retryMs: number | null = null;
  /** UTF-8 bytes held for the event being built (its data lines and the unfinished line). */
  private pendingBytes = 0;

  /**
   * `maxLineLength` bounds one line (characters); `maxEventBytes` bounds one whole event in UTF-8 bytes, so a server
   * sending endless `data:` lines without the blank line that ends an event cannot grow memory either.
   */
  constructor(
    private readonly maxLineLength = 1024 * 1024,
    private readonly maxEventBytes = 4 * 1024 * 1024,
  ) {}

  feed(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    this.pendingBytes += Buffer.byteLength(chunk);
    const events: ServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
      if (event || this.data.length === 0) this.pendingBytes = Buffer.byteLength(this.buffer);
    }
    if (this.pendingBytes > this.maxEventBytes) {
      this.buffer = '';
      this.data = [];
      this.pendingBytes = 0;
      throw new Error(`event-stream event larger than ${this.maxEventBytes} bytes`);
    }
    if (this.buffer.length > this.maxLineLength) {
      this.buffer = '';
      throw new Error(`event-stream line longer than ${this.maxLineLength} characters`);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const event = { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
      this.data = [];
      this.event = '';
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
      this.lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}
