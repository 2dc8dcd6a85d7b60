/**
 * Command line for the single-node admission runs:
 *   node --import tsx service/admission/run-single-node.ts --test 1 --algorithm fairSpaceTime [--seed 1]
 *        [--duration 3600] [--csv clients.csv]
 *   node --import tsx service/admission/run-single-node.ts --table 1,3,4 [--seed 1] [--duration 3600]
 * The first prints one run's per-client summary (and writes its clients.csv); the second prints, per test and
 * algorithm, Jain's index and the deviations from max-min, the figures the README quotes.
 */
import { writeFileSync } from "node:fs";
import { ALGORITHM_NAMES, type AlgorithmName, isAlgorithmName } from "./admission-control.js";
import { clientsCsv, runSingleNode, type RunSummary } from "./single-node.js";
import { testSetup } from "./tests.js";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function number(name: string): number | undefined {
  const v = option(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function line(s: RunSummary, ms: number): string {
  return [
    `test ${s.test}`,
    s.algorithm.padEnd(14),
    `jain ${s.jain.toFixed(3)}`,
    `max dev ${pct(s.maxDeviation).padStart(7)}`,
    `mean dev ${pct(s.meanDeviation).padStart(6)}`,
    `max dev of accepted ${pct(s.maxDeviationOfAccepted).padStart(7)}`,
    `accepted ${(s.acceptedSpaceTimePerS / s.capacitySpaceTimePerS).toFixed(3)} C`,
    `${(ms / 1000).toFixed(1)} s`,
  ].join("  ");
}

const seed = number("seed") ?? 1;
const durationS = number("duration");
const table = option("table");
if (table !== undefined) {
  const algorithms = (option("algorithms")?.split(",") ?? [...ALGORITHM_NAMES]) as AlgorithmName[];
  for (const id of table.split(",").map(Number)) {
    for (const algorithm of algorithms) {
      const t0 = performance.now();
      const { summary } = runSingleNode({ test: testSetup(id), algorithm, seed, ...(durationS !== undefined ? { durationS } : {}) });
      console.log(line(summary, performance.now() - t0));
    }
  }
} else {
  const algorithm = option("algorithm") ?? "fairSpaceTime";
  if (!isAlgorithmName(algorithm)) throw new Error(`--algorithm must be one of ${ALGORITHM_NAMES.join(", ")}, got "${algorithm}"`);
  const t0 = performance.now();
  const { rows, summary } = runSingleNode({ test: testSetup(number("test") ?? 1), algorithm, seed, ...(durationS !== undefined ? { durationS } : {}) });
  console.log(line(summary, performance.now() - t0));
  const C = summary.capacitySpaceTimePerS;
  for (const c of summary.clients) {
    console.log(
      `  ${c.client.padEnd(22)} puts/s ${c.acceptedPutsPerS.toFixed(4)}  space-time ${(c.acceptedSpaceTimePerS / C).toFixed(4)} C  target ${(c.target / C).toFixed(4)} C  dev ${pct(c.deviation).padStart(7)}  ok ${c.accepted} again ${c.again} cap ${c.cap}`,
    );
  }
  const csv = option("csv");
  if (csv !== undefined) writeFileSync(csv, clientsCsv(rows));
}
