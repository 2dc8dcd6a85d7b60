import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { FINGERPRINTS_FILE, fingerprint, NODE_MAJOR, recorded } from "../sim/experiments/fingerprints.js";
import { usageErrorsExit2 } from "./exit-on-input-error.js";

// A real parser, not a look at argv: --help must not start the computation, nor must a typo of --update.
const program = new Command()
  .name("npm run fingerprints --")
  .description("Recompute the determinism fingerprints of test/fingerprints.json and say which changed")
  .option("--update", "re-record them (with this Node's major version)", false);
usageErrorsExit2(program).parse();
const { update } = program.opts<{ update: boolean }>();
const file = recorded();
let changed = 0;
for (const f of file.runs) {
  const now = fingerprint(f);
  const same = now === f.sha256;
  if (!same) changed++;
  process.stdout.write(`${same ? "same   " : "CHANGED"} ${f.name}: ${f.scenario} seed ${f.seed}, ${f.nodes} nodes, ${f.duration}${f.set.map((s) => ` --set ${s}`).join("")}: ${now.slice(0, 16)}\n`);
  f.sha256 = now;
}
if (update) {
  writeFileSync(FINGERPRINTS_FILE, `${JSON.stringify({ ...file, node: NODE_MAJOR }, null, 2)}\n`);
} else if (changed > 0) {
  const other = file.node !== NODE_MAJOR ? ` (recorded with Node ${file.node}, this is Node ${NODE_MAJOR}: floating-point results may differ)` : "";
  process.stdout.write(`${changed} fingerprint(s) changed${other}: fix the change, or re-record with --update and say why in the commit\n`);
  process.exit(1);
}
