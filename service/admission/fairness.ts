/** Jain's fairness index (Σx)² / (n·Σx²): 1 when all x are equal, 1/n when one client has everything. */
export function jainIndex(values: readonly number[]): number {
  if (values.length === 0) return 1;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

/** (achieved − target) / target per client; a zero target with zero achieved counts as no deviation. */
export function relativeDeviations(achieved: readonly number[], targets: readonly number[]): number[] {
  return achieved.map((a, i) => {
    const t = targets[i];
    if (t === 0) return a === 0 ? 0 : Infinity;
    return (a - t) / t;
  });
}

/** Jain's index of each client's allocation as a fraction of its max-min target: how evenly clients got their
 * fair share (raw allocations would count a light client fully served as "unfair"). */
export function jainOfTargets(achieved: readonly number[], targets: readonly number[]): number {
  return jainIndex(achieved.map((a, i) => (targets[i] === 0 ? 1 : a / targets[i])));
}
