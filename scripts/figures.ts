import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { drawSweepFigures, lineFigure } from "../analysis/figures.js";
import { readSummary } from "../analysis/read-summary.js";
import { writeReport } from "../analysis/report.js";
import { InputError } from "../sim/scenario/errors.js";
import { exitOnInputError, usageError, usageErrorsExit2 } from "./exit-on-input-error.js";

/** `npm run figures -- results/<sweep> [--x param] [--y metric,...]`: redraws a sweep's figures and report. */
const program = new Command()
  .name("npm run figures --")
  .description("Redraw a finished sweep's figures and report from its summary.csv")
  .argument("<sweep>", "a sweep directory (with summary.csv)")
  .option("--x <param>", "draw only against this swept parameter")
  .option("--y <metrics>", "comma-separated metrics to draw (see summary.csv)");
usageErrorsExit2(program);
program.parse();
const opts = program.opts<{ x?: string; y?: string }>();
const [dir] = program.args;
// A wrong path is a one-line refusal, not the stack of a failed read.
if (!existsSync(join(dir, "summary.csv"))) exitOnInputError(new InputError(dir, existsSync(dir) ? "not a finished sweep (no summary.csv)" : "no such directory"));
const { params, rows } = readSummary(dir);
if (opts.x !== undefined && !params.includes(opts.x)) usageError(program, `--x ${opts.x} is not a swept parameter; expected one of ${params.join(", ")}`);
const metrics = opts.y?.split(",");
const unknown = metrics?.filter((m) => !rows.some((r) => r.metric === m));
if (unknown !== undefined && unknown.length > 0) {
  // The figures are drawn from summary.csv's rows, so its metrics are exactly the ones that can be asked for.
  const available = [...new Set(rows.map((r) => r.metric))];
  usageError(program, `--y ${unknown.join(",")}: no such metric in summary.csv; expected one of ${available.join(", ")}`);
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
