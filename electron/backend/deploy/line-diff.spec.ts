import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb')).toBe('');
  });

  it('shows a changed line with context and hunk header', () => {
    const before = ['a', 'b', 'c', 'd', 'e'].join('\n');
    const after = ['a', 'b', 'C', 'd', 'e'].join('\n');
    expect(unifiedDiff(before, after, 1)).toBe(
      ['--- live', '+++ after apply', '@@ -2,3 +2,3 @@', ' b', '-c', '+C', ' d'].join('\n'),
    );
  });

  it('keeps separate hunks for distant changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l1\n', 'x1\n').replace('l18', 'x18');
    expect(unifiedDiff(before, after, 1).match(/^@@/gm)).toHaveLength(2);
  });
});
