// Line diffs of Kubernetes objects as YAML: `diffLines` for the renderer's preview ("what will change if I apply
// this") and `unifiedDiff` for the engine's diff(1)-style text. Manifests are a few hundred lines at most, so one
// plain LCS table (O(n·m)) serves both: fast enough, exact and easy to trust, with no diff package for it.

export type DiffLine =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'added'; text: string; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number };

/** Guard against pathological input freezing the UI: beyond this many cells, fall back to remove-all/add-all. */
const maxTableCells = 4_000_000;

/** Preview lines of two texts (`\r\n` or `\n`, a final newline ignored). */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  return diffSequences(splitLines(oldText), splitLines(newText));
}

/** The LCS diff of two line lists; deletions come before insertions, as diff(1) prints them. */
function diffSequences(a: readonly string[], b: readonly string[]): DiffLine[] {
  if ((a.length + 1) * (b.length + 1) > maxTableCells) {
    return [
      ...a.map((text, i): DiffLine => ({ kind: 'removed', text, oldLine: i + 1 })),
      ...b.map((text, i): DiffLine => ({ kind: 'added', text, newLine: i + 1 })),
    ];
  }
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..]
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] as number) + 1
          : Math.max(lcs[(i + 1) * width + j] as number, lcs[i * width + j + 1] as number);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] as string, oldLine: i + 1, newLine: j + 1 });
      i += 1;
      j += 1;
    } else if ((lcs[(i + 1) * width + j] as number) >= (lcs[i * width + j + 1] as number)) {
      out.push({ kind: 'removed', text: a[i] as string, oldLine: i + 1 });
      i += 1;
    } else {
      out.push({ kind: 'added', text: b[j] as string, newLine: j + 1 });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) out.push({ kind: 'removed', text: a[i] as string, oldLine: i + 1 });
  for (; j < b.length; j += 1) out.push({ kind: 'added', text: b[j] as string, newLine: j + 1 });
  return out;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffSummary(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === 'added') added += 1;
    if (line.kind === 'removed') removed += 1;
  }
  return { added, removed };
}

/**
 * A unified diff (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with `context` lines around each change; hunks closer
 * than 2×context merge), or '' when the texts are equal. Lines are split on `\n` exactly as given.
 */
export function unifiedDiff(
  before: string,
  after: string,
  context = 3,
  labels = ['live', 'after apply'],
): string {
  type Line = { op: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  let ai = 0;
  let bi = 0;
  const lines: Line[] = diffSequences(before.split('\n'), after.split('\n')).map((line) => {
    const entry: Line = {
      op: line.kind === 'same' ? ' ' : line.kind === 'removed' ? '-' : '+',
      text: line.text,
      ai,
      bi,
    };
    if (line.kind !== 'added') ai += 1;
    if (line.kind !== 'removed') bi += 1;
    return entry;
  });
  if (!lines.some((line) => line.op !== ' ')) return '';
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  let index = 0;
  while (index < lines.length) {
    while (index < lines.length && lines[index]!.op === ' ') index++;
    if (index >= lines.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    // Extend the hunk while changes are within 2×context lines of each other.
    for (;;) {
      while (end < lines.length && lines[end]!.op !== ' ') end++;
      let next = end;
      while (next < lines.length && lines[next]!.op === ' ' && next - end < 2 * context) next++;
      if (next < lines.length && lines[next]!.op !== ' ' && next - end < 2 * context) end = next;
      else break;
    }
    const stop = Math.min(lines.length, end + context);
    const hunk = lines.slice(start, stop);
    const aStart = hunk[0]!.ai + 1;
    const bStart = hunk[0]!.bi + 1;
    const aCount = hunk.filter((line) => line.op !== '+').length;
    const bCount = hunk.filter((line) => line.op !== '-').length;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const line of hunk) out.push(`${line.op}${line.text}`);
    index = stop;
  }
  return out.join('\n');
}
