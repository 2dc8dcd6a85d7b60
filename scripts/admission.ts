import { existsSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { ALGORITHM_NAMES, type AlgorithmName, isAlgorithmName } from "../service/admission/admission-control.js";
import { clientsCsv, runSingleNode, type RunSummary } from "../sim/experiments/admission/single-node.js";
import { TESTS, testSetup } from "../sim/experiments/admission/test-setups.js";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import { usageError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { positiveNumber, seedValue } from "./option-values.js";

const testIds = TESTS.map((t) => t.id);
const testId = (text: string) => {
  const id = Number(text);
  if (!testIds.includes(id)) throw new InvalidArgumentError(`--test must be one of ${testIds.join(", ")} (the 2004 admission simulator's setups), got "${text}"`);
  return id;
};
const testList = (text: string) => text.split(",").map((t) => testId(t.trim()));
const algorithm = (text: string): AlgorithmName => {
  if (!isAlgorithmName(text)) throw new InvalidArgumentError(`--algorithm must be one of ${ALGORITHM_NAMES.join(", ")}, got "${text}"`);
  return text;
};
const algorithmList = (text: string) => text.split(",").map((a) => algorithm(a.trim()));

const program = new Command()
  .name("npm run admission --")
  .description(
    "Put admission on one node, as OpenDHT's 2004 simulator ran it: clients put at their own rates, an admission algorithm answers OK, AGAIN or CAP; prints each client's accepted rate and space-time against its max-min fair share",
  )
  .option("--test <n>", `one setup (${testIds.join(", ")}): prints its clients; with --csv, writes clients.csv`, testId, 1)
  .option("--algorithm <name>", `the algorithm (${ALGORITHM_NAMES.join(", ")})`, algorithm, "fairSpaceTime" as AlgorithmName)
  .option("--table <tests>", "instead: one line per test and algorithm (e.g. 1,3,4): Jain's index and deviation from max-min", testList)
  .option("--algorithms <names>", "with --table: the algorithms to compare (default: all)", algorithmList)
  .option("--seed <n>", "random seed", seedValue, 1)
  .option("--duration <s>", "simulated seconds (default: the setup's own)", positiveNumber("--duration"))
  .option("--csv <file>", "with --test: write the per-client rows every 10 s (clients.csv columns); a new file unless --force")
  .option("--force", "with --csv: replace the file if it exists", false);
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ test: number; algorithm: AlgorithmName; table?: number[]; algorithms?: AlgorithmName[]; seed: number; duration?: number; csv?: string; force: boolean }>();
if (opts.csv !== undefined && existsSync(opts.csv) && !opts.force) usageError(program, `--csv: ${opts.csv} exists; choose another file, or --force to replace it`);

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

const duration = opts.duration !== undefined ? { durationS: opts.duration } : {};
if (opts.table !== undefined) {
  for (const id of opts.table) {
    for (const name of opts.algorithms ?? ALGORITHM_NAMES) {
      const t0 = performance.now();
      const { summary } = runSingleNode({ test: testSetup(id), algorithm: name, seed: opts.seed, ...duration });
      console.log(line(summary, performance.now() - t0));
    }
  }
} else {
  const t0 = performance.now();
  const { rows, summary } = runSingleNode({ test: testSetup(opts.test), algorithm: opts.algorithm, seed: opts.seed, ...duration });
  console.log(line(summary, performance.now() - t0));
  const C = summary.capacitySpaceTimePerS;
  for (const c of summary.clients) {
    console.log(
      `  ${c.client.padEnd(22)} puts/s ${c.acceptedPutsPerS.toFixed(4)}  space-time ${(c.acceptedSpaceTimePerS / C).toFixed(4)} C  target ${(c.target / C).toFixed(4)} C  dev ${pct(c.deviation).padStart(7)}  ok ${c.accepted} again ${c.again} cap ${c.cap}`,
    );
  }
  if (opts.csv !== undefined) writeFileAtomic(opts.csv, clientsCsv(rows));
}
