import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isNumericCompanion } from "./axis-values.js";
import type { RunValue } from "./paired.js";

/** One row of a sweep's summary.csv: a grid point's parameters, a metric, and its mean with a 95% interval. */
export interface SummaryRow {
  point: Record<string, string>;
  metric: string;
  n: number;
  mean: number | null;
  low: number | null;
  high: number | null;
}

const numberOrNull = (text: string) => (text === "" ? null : Number(text));

/**
 * Reads `summary.csv` (written by the sweep summary: parameters, each numeric one followed by its value in base
 * units, then metric, n, mean, ci95_low, ci95_high). The points carry the parameters' labels, as the grid spells them.
 */
export function readSummary(dir: string): { params: string[]; rows: SummaryRow[] } {
  const { columns, params, lines } = table(dir, "summary.csv", "metric");
  const rows = lines.map((line) => {
    const cells = splitCsv(line);
    const point = Object.fromEntries(params.map((p) => [p, cells[columns.indexOf(p)]]));
    const [metric, n, mean, low, high] = cells.slice(columns.length);
    return { point, metric, n: Number(n), mean: numberOrNull(mean), low: numberOrNull(low), high: numberOrNull(high) };
  });
  return { params, rows };
}

/** Reads `runs.csv` (parameters as in summary.csv, then run, seed, metric, value): one value per run and metric. */
export function readRuns(dir: string): RunValue[] {
  const { columns, params, lines } = table(dir, "runs.csv", "run");
  return lines.map((line) => {
    const cells = splitCsv(line);
    const point = Object.fromEntries(params.map((p) => [p, cells[columns.indexOf(p)]]));
    const [run, seed, metric, value] = cells.slice(columns.length);
    const replicate = Number(/replicate=(\d+)$/.exec(run)?.[1] ?? NaN);
    return { point, replicate, seed: Number(seed), metric, value: numberOrNull(value) };
  });
}

/** A CSV file of a sweep: its parameter columns (those before `first`), the parameters among them, its lines. */
function table(dir: string, file: string, first: string) {
  const lines = readFileSync(join(dir, file), "utf8").trim().split("\n");
  const header = splitCsv(lines[0]);
  const columns = header.slice(0, header.indexOf(first));
  const params = columns.filter((c, i) => !isNumericCompanion(c, columns[i - 1]));
  return { columns, params, lines: lines.slice(1) };
}

/** Splits one CSV line, honouring double quotes (parameter values may hold commas). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
