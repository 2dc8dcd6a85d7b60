import { writeFileSync } from "node:fs";
import { FINGERPRINTS_FILE, fingerprint, recorded } from "../sim/experiments/fingerprints.js";

// Recomputes the determinism fingerprints; --update re-records them.
const update = process.argv.includes("--update");
const table = recorded();
let changed = 0;
for (const f of table) {
  const now = fingerprint(f);
  const same = now === f.sha256;
  if (!same) changed++;
  process.stdout.write(`${same ? "same   " : "CHANGED"} ${f.scenario} seed ${f.seed}, ${f.nodes} nodes, ${f.duration}: ${now.slice(0, 16)}\n`);
  f.sha256 = now;
}
if (update) writeFileSync(FINGERPRINTS_FILE, `${JSON.stringify(table, null, 2)}\n`);
else if (changed > 0) {
  process.stdout.write(`${changed} fingerprint(s) changed: fix the change, or re-record with --update and say why in the commit\n`);
  process.exit(1);
}
