import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { reportSweep } from "../analysis/sweep-report.js";
import { claimForResume } from "../sim/experiments/result-marker.js";
import { InputError } from "../sim/scenario/errors.js";
import { exitOnInputError, usageErrorsExit2 } from "./exit-on-input-error.js";

/**
 * `npm run merge -- <shard dirs...> --out <dir>`: combines the outputs of a sweep's shards (run on several
 * machines with --shard) into one sweep directory, then summarises it.
 */
const program = new Command()
  .name("npm run merge --")
  .description("Combine the shards of a sweep run with --shard on several machines into one sweep directory, and summarise it")
  .argument("<shards...>", "sweep directories written by --shard runs of the same sweep")
  .requiredOption("--out <dir>", "merged sweep directory");
usageErrorsExit2(program);
program.parse();
const { out } = program.opts<{ out: string }>();

try {
  const shards = program.args.map((d) => resolve(d));
  const plans = shards.map((d) => {
    const file = join(d, "sweep.json");
    if (!existsSync(file)) throw new InputError(d, "not a sweep directory (no sweep.json)");
    return readFileSync(file, "utf8");
  });
  if (plans.some((p) => p !== plans[0])) throw new InputError(shards[plans.findIndex((p) => p !== plans[0])], "belongs to a different sweep than the first directory");
  const target = resolve(out);
  // Like a sweep's own --out: a merged sweep goes only into a sweep of ours or an empty directory.
  claimForResume(target, "sweep");
  mkdirSync(join(target, "runs"), { recursive: true });
  if (existsSync(join(target, "sweep.json")) && readFileSync(join(target, "sweep.json"), "utf8") !== plans[0]) {
    throw new InputError(target, "holds a different sweep");
  }
  writeFileSync(join(target, "sweep.json"), plans[0]);
  let copied = 0;
  for (const shard of shards) {
    for (const entry of readdirSync(join(shard, "runs"))) {
      if (entry.startsWith(".")) continue; // an interrupted run's temporary directory
      const destination = join(target, "runs", entry);
      if (!existsSync(destination)) {
        cpSync(join(shard, "runs", entry), destination, { recursive: true });
        copied++;
      }
    }
  }
  const s = await reportSweep(target);
  process.stdout.write(`merged ${copied} runs from ${shards.length} directories into ${target}: ${s.points} grid points, ${s.figures.length} figures, report.md\n`);
} catch (e) {
  exitOnInputError(e);
  throw e;
}
