import { execSync } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Command } from "commander";
import { runBenchSuite } from "../sim/experiments/bench/bench-suite.js";
import { usageErrorsExit2 } from "./exit-on-input-error.js";

// `npm run bench [-- --full]`: runs the benchmark suite, prints its table and appends it, with date, commit,
// Node version and CPU, to BENCHMARKS.md.
const program = new Command()
  .name("npm run bench --")
  .description("Run the benchmark suite, print its table and append it to BENCHMARKS.md")
  .option("--full", "also the long rows: 10,000 nodes x 1 simulated hour and 100,000 nodes x 10 minutes (hours of wall time)", false);
usageErrorsExit2(program).parse();
const full = program.opts<{ full: boolean }>().full;
const rows = await runBenchSuite(full, (what) => process.stderr.write(`bench: ${what}\n`));

let commit = "unknown";
try {
  commit = execSync("git rev-parse --short HEAD", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
} catch {
  // Not a git checkout: the figures are still worth recording.
}
const header = `## ${new Date().toISOString().slice(0, 10)} · commit ${commit} · Node ${process.version} · ${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} cores)${full ? " · --full" : ""}`;
const table = ["| benchmark | result | target |", "|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
process.stdout.write(`${header}\n\n${table}\n`);
if (!existsSync("BENCHMARKS.md")) {
  writeFileSync("BENCHMARKS.md", "# Benchmarks\n\nFigures recorded by `npm run bench` (medians of three runs, one core). Newest last.\n");
}
appendFileSync("BENCHMARKS.md", `\n${header}\n\n${table}\n`);
