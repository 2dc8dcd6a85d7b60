import { DURATION_PATTERN, parseDuration, parseRate, parseSize } from "../sim/scenario/units.js";

/**
 * The numeric reading of a swept parameter's labels, in base units, for the column beside its label in
 * summary.csv and runs.csv: labels like `11.7m` neither sort nor plot as numbers in pandas or R.
 */
export interface NumericAxis {
  /** The column's suffix, naming its unit: `churn.tMed_s`. */
  suffix: string;
  value(label: string): number;
}

const duration = new RegExp(DURATION_PATTERN);
const parses = (parse: (text: string) => number) => (label: string) => {
  try {
    parse(label);
    return true;
  } catch {
    return false;
  }
};

// Unit sets are disjoint (durations ms…d, rates …bps, sizes …b), so at most one kind reads every label.
const KINDS: { suffix: string; accepts: (label: string) => boolean; value: (label: string) => number }[] = [
  { suffix: "num", accepts: (v) => v.trim() !== "" && Number.isFinite(Number(v)), value: Number },
  { suffix: "s", accepts: (v) => duration.test(v), value: (v) => parseDuration(v) / 1000 },
  { suffix: "bps", accepts: parses(parseRate), value: parseRate },
  { suffix: "bytes", accepts: parses(parseSize), value: parseSize },
];

/** The suffixes of numeric companion columns, so readers can tell them from swept parameters. */
export const NUMERIC_SUFFIXES: readonly string[] = KINDS.map((k) => k.suffix);

/** How an axis's labels read as numbers; undefined when any does not (JSON values, names like `periodic`). */
export function numericAxis(labels: readonly string[]): NumericAxis | undefined {
  if (labels.length === 0) return undefined;
  const kind = KINDS.find((k) => labels.every(k.accepts));
  // Rounded as the CSV's other numbers: unit factors can leave floating-point dust (2.3h is 8279999.999999999 ms).
  return kind && { suffix: kind.suffix, value: (label) => Math.round(kind.value(label) * 1e6) / 1e6 };
}

/** Whether a CSV column is the numeric companion of the column before it. */
export function isNumericCompanion(column: string, previous: string | undefined): boolean {
  return previous !== undefined && NUMERIC_SUFFIXES.some((s) => column === `${previous}_${s}`);
}
