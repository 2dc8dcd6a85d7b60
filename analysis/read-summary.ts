import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isNumericCompanion } from "./axis-values.js";

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
  const lines = readFileSync(join(dir, "summary.csv"), "utf8").trim().split("\n");
  const header = splitCsv(lines[0]);
  const columns = header.slice(0, header.indexOf("metric"));
  const params = columns.filter((c, i) => !isNumericCompanion(c, columns[i - 1]));
  const rows = lines.slice(1).map((line) => {
    const cells = splitCsv(line);
    const point = Object.fromEntries(params.map((p) => [p, cells[columns.indexOf(p)]]));
    const [metric, n, mean, low, high] = cells.slice(columns.length);
    return { point, metric, n: Number(n), mean: numberOrNull(mean), low: numberOrNull(low), high: numberOrNull(high) };
  });
  return { params, rows };
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
