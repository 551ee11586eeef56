// A unified diff of two small texts (Kubernetes objects as YAML: tens to hundreds of lines), from a plain LCS
// table. Quadratic, which is fine at this size and keeps the output exact and dependency-free.
export function unifiedDiff(
  before: string,
  after: string,
  context = 3,
  labels = ['live', 'after apply'],
): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Line = { op: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) lines.push({ op: ' ', text: a[i]!, ai: i++, bi: j++ });
    // Deletions before insertions, as diff(1) prints them.
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      lines.push({ op: '-', text: a[i]!, ai: i++, bi: j });
    else lines.push({ op: '+', text: b[j]!, ai: i, bi: j++ });
  }
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
