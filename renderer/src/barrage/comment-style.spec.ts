import { describe, expect, it } from 'vitest';
import { danmakuPalette, toComment } from './comment-style';

const message = (text: string, data: unknown = null) => ({ id: null, text, data, receivedAt: 0 });

describe('toComment', () => {
  it('uses the viewer default mode and a stable palette colour', () => {
    const a = toComment(message('hello'), { mode: 'scroll', colorful: true });
    const b = toComment(message('hello'), { mode: 'scroll', colorful: true });
    expect(a.mode).toBe('scroll');
    expect(danmakuPalette).toContain(a.color);
    expect(a.color).toBe(b.color);
  });
  it('honours mode and colour carried by the message, but only valid ones', () => {
    expect(
      toComment(message('x', { mode: 'top', color: '#ff0000' }), { mode: 'scroll', colorful: false }),
    ).toEqual({
      text: 'x',
      mode: 'top',
      color: '#ff0000',
    });
    expect(
      toComment(message('x', { mode: 'sideways', color: 'url(evil)' }), { mode: 'bottom', colorful: false }),
    ).toEqual({
      text: 'x',
      mode: 'bottom',
      color: '#ffffff',
    });
  });
});
