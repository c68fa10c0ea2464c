// "Did you mean" for misspelt names in client messages ("BlockStrat", "adress", "blockstart").

/** Edit distance with adjacent transpositions (optimal string alignment), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate `value` most likely meant: a case-insensitive equal, else the unique closest one
 * within a third of its length (at least 1, at most 3 edits). Undefined when nothing is close.
 */
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  if (value.length > 64) return undefined;
  const lower = value.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const limit = Math.min(3, Math.max(1, Math.floor(value.length / 3)));
  let best: string | undefined;
  let bestDist = Infinity;
  let tie = false;
  for (const c of candidates) {
    const dist = editDistance(lower, c.toLowerCase());
    if (dist < bestDist) [best, bestDist, tie] = [c, dist, false];
    else if (dist === bestDist) tie = true;
  }
  return bestDist <= limit && !tie ? best : undefined;
}
