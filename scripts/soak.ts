import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { setImmediate as turn } from "node:timers/promises";
import { Command } from "commander";
import fc from "fast-check";
import { checkCombination, writeCombination } from "../sim/experiments/combinations/check-combination.js";
import { type Combination, combinationArbitrary } from "../sim/experiments/combinations/combination.js";
import { usageError, usageErrorsExit2 } from "./exit-on-input-error.js";
import { integerIn, positiveNumber } from "./option-values.js";
import { watchInterrupts } from "./interrupts.js";

const program = new Command()
  .name("npm run soak --")
  .description("Run random small scenarios combining every feature, each twice under --check, until the time is up or one fails")
  .option("--minutes <m>", "how long to keep trying", positiveNumber("--minutes"), 5)
  // Seeds wrap at 2^31 (see below): a larger one would not be the seed the soak prints and replays.
  .option("--seed <n>", "first generator seed (default: from the clock); each batch takes the next", integerIn("--seed", 0, 2 ** 31 - 1))
  .option("--replay <seed:path>", "run again exactly the failure a soak reported");
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ minutes: number; seed?: number; replay?: string }>();

const property = fc.property(combinationArbitrary, (c: Combination) => {
  checkCombination(c);
});
const BATCH = 5;

let tried = 0;
// Combinations run synchronously, so a terminal's Ctrl-C (delivered twice: by the terminal and by npm) is heard
// between batches either way; both paths say the same.
const stoppedLine = (headline: string) => `${headline}: ${tried} combinations passed, none failed`;
const interrupts = watchInterrupts((i) => stoppedLine(i.headline));

if (opts.replay !== undefined) {
  const match = /^([0-9]+):([0-9:]+)$/.exec(opts.replay);
  // A soak's seeds stay below 2^31; a larger one was never printed, and would round besides.
  if (match === null || Number(match[1]) > 2 ** 31 - 1) {
    usageError(program, `--replay: expected seed:path as a soak printed it, e.g. 42:3:1:0, got "${opts.replay}"`);
  }
  const details = fc.check(property, { seed: Number(match[1]), path: match[2], numRuns: 1, endOnFailure: true });
  if (!details.failed) {
    process.stdout.write("the combination passed this time\n");
    process.exit(0);
  }
  report(details);
}

// Batches of a few combinations, with a turn of the event loop between, so Ctrl-C is heard.
const deadline = Date.now() + opts.minutes * 60_000; // wall-clock ok: how long to soak, not the simulation
let seed = opts.seed ?? Date.now() % 2 ** 31; // wall-clock ok: a fresh generator seed each soak
process.stderr.write(`soaking for ${opts.minutes} min from seed ${seed}\n`);
while (Date.now() < deadline) {
  const details = fc.check(property, { seed, numRuns: BATCH, endOnFailure: true });
  if (details.failed) report(details);
  tried += BATCH;
  process.stderr.write(`${tried} combinations passed\n`);
  seed = (seed + 1) % 2 ** 31;
  await turn();
  if (interrupts.interruption !== null) interrupts.exit(stoppedLine(interrupts.interruption.headline));
}
process.stdout.write(`${tried} combinations passed, none failed\n`);

/** Writes the failing combination where the user can run it, prints how to replay it, and exits 1. */
function report(details: fc.RunDetails<[Combination]>): never {
  const [combination] = details.counterexample ?? [];
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  process.stderr.write(`\nFAILED: ${error}\n`);
  if (combination !== undefined) {
    let dir = join("results", `soak-failure-${details.seed}`);
    for (let i = 2; existsSync(dir); i++) dir = join("results", `soak-failure-${details.seed}-${i}`);
    mkdirSync(dir, { recursive: true });
    const file = writeCombination(combination, dir);
    process.stderr.write(`the scenario:  ${relative(process.cwd(), file)}\n`);
    process.stderr.write(`run it:        npm run sim -- ${relative(process.cwd(), file)} --check\n`);
  }
  process.stderr.write(`replay:        npm run soak -- --replay ${details.seed}:${details.counterexamplePath}\n`);
  process.exit(1);
}
