import { join } from "node:path";
import { Command } from "commander";
import { drawSweepFigures, lineFigure } from "../analysis/figures.js";
import { readSummary } from "../analysis/read-summary.js";
import { writeReport } from "../analysis/report.js";
import { usageErrorsExit2 } from "./exit-on-input-error.js";

/** `npm run figures -- results/<sweep> [--x param] [--y metric,...]`: redraws a sweep's figures and report. */
const program = new Command()
  .name("npm run figures --")
  .argument("<sweep>", "a sweep directory (with summary.csv)")
  .option("--x <param>", "draw only against this swept parameter")
  .option("--y <metrics>", "comma-separated metrics to draw (see summary.csv)");
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ x?: string; y?: string }>();
const [dir] = program.args;
const { params, rows } = readSummary(dir);
if (opts.x !== undefined && !params.includes(opts.x)) {
  process.stderr.write(`error: --x ${opts.x} is not a swept parameter; expected one of ${params.join(", ")}\n`);
  process.exit(2);
}
const metrics = opts.y?.split(",");
const unknown = metrics?.filter((m) => !rows.some((r) => r.metric === m));
if (unknown !== undefined && unknown.length > 0) {
  process.stderr.write(`error: --y ${unknown.join(",")}: no such metric in summary.csv\n`);
  process.exit(2);
}
if (opts.x !== undefined) {
  for (const metric of metrics ?? ["latency_mean_ms"]) {
    const f = await lineFigure(rows, params, opts.x, metric, join(dir, "figures"));
    process.stdout.write(`${join(dir, "figures", f.file)}.svg and .png\n`);
  }
} else {
  const figures = await drawSweepFigures(rows, params, dir, metrics);
  writeReport(dir, params, rows, figures);
  process.stdout.write(`${figures.length} figures in ${join(dir, "figures")}; report in ${join(dir, "report.md")} and report.html\n`);
}
