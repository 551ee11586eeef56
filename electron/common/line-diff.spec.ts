import { describe, expect, it } from 'vitest';
import { diffLines, diffSummary, unifiedDiff } from './line-diff';

describe('diffLines', () => {
  it('marks everything added against an empty old text (a first deploy)', () => {
    const out = diffLines('', 'a: 1\nb: 2\n');
    expect(out).toEqual([
      { kind: 'added', text: 'a: 1', newLine: 1 },
      { kind: 'added', text: 'b: 2', newLine: 2 },
    ]);
  });

  it('finds a changed value as one removal and one addition', () => {
    const out = diffLines(
      'kind: Service\nminScale: "0"\nname: x\n',
      'kind: Service\nminScale: "1"\nname: x\n',
    );
    expect(out.map((l) => l.kind)).toEqual(['same', 'removed', 'added', 'same']);
    expect(diffSummary(out)).toEqual({ added: 1, removed: 1 });
  });

  it('reports no change for equal texts, with line numbers on both sides', () => {
    const out = diffLines('x\ny', 'x\ny\n');
    expect(out).toEqual([
      { kind: 'same', text: 'x', oldLine: 1, newLine: 1 },
      { kind: 'same', text: 'y', oldLine: 2, newLine: 2 },
    ]);
  });

  it('handles removal at the end', () => {
    expect(diffSummary(diffLines('a\nb\nc', 'a\nb'))).toEqual({ added: 0, removed: 1 });
  });
});

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
