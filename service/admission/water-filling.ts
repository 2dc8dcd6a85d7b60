/**
 * Max-min fairness by water-filling: capacity is poured evenly over the clients; a client whose demand is met
 * keeps only its demand and the rest is shared among the others, until the capacity or the demands run out.
 * Demands and capacity may be in any one unit (space-time per second, puts per second).
 */
export function maxMinShares(demands: readonly number[], capacity: number): number[] {
  for (const d of demands) if (!(d >= 0)) throw new Error(`max-min: demand ${d} is not a non-negative number`);
  if (!(capacity >= 0)) throw new Error(`max-min: capacity ${capacity} is not a non-negative number`);
  const order = demands.map((_, i) => i).sort((a, b) => demands[a] - demands[b]);
  const shares = new Array<number>(demands.length).fill(0);
  let left = capacity;
  for (let k = 0; k < order.length; k++) {
    const level = left / (order.length - k);
    const i = order[k];
    const share = Math.min(demands[i], level);
    shares[i] = share;
    left -= share;
  }
  return shares;
}

/**
 * fssim's "lowest non-empty fair-sharing level": repeatedly take the mean t/n of the usages still in play and drop
 * every client at or below it; stop at the first round that drops a client in `eligible` (one with a put waiting)
 * and return those. Usages are in the caller's order, which also breaks ties.
 */
export function lowestLevel(usages: ReadonlyArray<{ client: string; usage: number }>, eligible: ReadonlySet<string>): string[] {
  const sorted = usages.map((u, i) => ({ ...u, i })).sort((a, b) => a.usage - b.usage || a.i - b.i);
  let total = sorted.reduce((t, u) => t + u.usage, 0);
  let n = sorted.length;
  let k = 0;
  while (k < sorted.length) {
    const mean = total / n;
    const below: string[] = [];
    while (k < sorted.length && sorted[k].usage <= mean) {
      total -= sorted[k].usage;
      n--;
      if (eligible.has(sorted[k].client)) below.push(sorted[k].client);
      k++;
    }
    if (below.length > 0) return below;
  }
  return [];
}
