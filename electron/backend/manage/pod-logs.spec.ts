import { describe, expect, it } from 'vitest';
import { logErrorMessage, splitTimestamp } from './pod-logs';

describe('pod logs', () => {
  it('splits the kubelet timestamp from the text', () => {
    expect(splitTimestamp('2026-11-28T06:00:00.123456789Z hello world')).toEqual({
      time: '2026-11-28T06:00:00.123456789Z',
      text: 'hello world',
    });
    expect(splitTimestamp('no time here')).toEqual({ time: null, text: 'no time here' });
  });

  it('says plainly when the API server has no node to ask', () => {
    const body = { message: 'pods "vk" not found', details: { name: 'vk', kind: 'pods' } };
    expect(logErrorMessage(404, body, 'p-1')).toMatch(/found no node "vk" with a kubelet API/);
    expect(logErrorMessage(400, { message: 'container "x" is waiting to start' }, 'p-1')).toBe(
      'container "x" is waiting to start',
    );
  });
});
