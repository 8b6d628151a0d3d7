/**
 * A readable line diff of two snapshots: removed lines with "-", added ones with "+", a little
 * unchanged context around them, at most `maxLines` lines (longest common subsequence over lines).
 */
export function lineDiff(before: string, after: string, maxLines = 20): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Past a few thousand lines the table is too large to be worth it: say what went and what came.
  if (a.length * b.length > 4_000_000) return summarize(a, b, maxLines);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  const keep = new Set<number>();
  ops.forEach((op, k) => {
    if (op.kind !== ' ') for (let c = k - 1; c <= k + 1; c++) if (c >= 0 && c < ops.length) keep.add(c);
  });
  const out: string[] = [];
  let last = -1;
  for (const k of [...keep].sort((x, y) => x - y)) {
    if (last >= 0 && k > last + 1) out.push('…');
    out.push(`${ops[k]!.kind} ${ops[k]!.line}`.trimEnd());
    last = k;
  }
  return clip(out, maxLines);
}

function summarize(a: string[], b: string[], maxLines: number): string {
  const inA = new Set(a);
  const inB = new Set(b);
  return clip(
    [...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`)],
    maxLines,
  );
}

function clip(lines: string[], maxLines: number): string {
  return lines.length > maxLines
    ? [...lines.slice(0, maxLines), `… and ${lines.length - maxLines} more lines`].join('\n')
    : lines.join('\n');
}
