import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('joins multi-line data and keeps ids across chunk boundaries', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 7\ndata: a\nda')).toEqual([]);
    expect(parser.feed('ta: b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('handles CRLF split between chunks, comments, named events and retry', () => {
    const parser = new SseParser();
    const events = [
      ...parser.feed(': keepalive\r\nevent: result\r\ndata: {"x":1}\r'),
      ...parser.feed('\n\r\nretry: 500\n\n'),
    ];
    expect(events).toEqual([{ event: 'result', data: '{"x":1}', id: null }]);
    expect(parser.retryMs).toBe(500);
  });

  it('refuses an endless line instead of buffering it', () => {
    const parser = new SseParser(10);
    expect(() => parser.feed('data: 0123456789abc')).toThrow(/longer than/);
  });

  it('refuses an endless event of many short data lines, counted in bytes', () => {
    const parser = new SseParser(1024, 1000);
    // 300 lines of 4 bytes each ("你" is 3 bytes in UTF-8) + "data: " without the blank line that ends an event.
    expect(() => parser.feed('data: 你\n'.repeat(120))).toThrow(/larger than 1000 bytes/);
    // A normal stream of many small events is fine: the bound is per event.
    const ok = new SseParser(1024, 1000);
    expect(ok.feed('data: 你\n\n'.repeat(500))).toHaveLength(500);
  });
});
