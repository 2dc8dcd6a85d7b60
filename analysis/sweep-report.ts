import { drawSweepFigures, type Figure } from "./figures.js";
import { readSummary } from "./read-summary.js";
import { writeReport } from "./report.js";
import { summariseSweep } from "./sweep-summary.js";

/** Everything made from a finished sweep: summary.csv and runs.csv, figures, report.md and report.html. */
export async function reportSweep(dir: string): Promise<{ points: number; figures: Figure[] }> {
  const { points } = summariseSweep(dir);
  const { params, rows } = readSummary(dir);
  const figures = await drawSweepFigures(rows, params, dir);
  writeReport(dir, params, rows, figures);
  return { points, figures };
}
