import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { axisTitle, figureTitle, fractionScale, logScale, FIGURE_SIZE } from "../figure-layout.js";
import { metricTitle } from "../figure-labels.js";
import type { Figure } from "../figures.js";
import type { SummaryRow } from "../read-summary.js";
import { FIGURE_CONFIG, renderFigure } from "../render.js";

/** A point of a line: x, the mean and its 95% interval (null from one seed), the line it belongs to. */
export interface LinePoint {
  x: number;
  mean: number;
  low: number | null;
  high: number | null;
  series: string;
}

export const linePoint = (x: number, series: string, r: SummaryRow): LinePoint => ({
  x,
  series,
  mean: r.mean as number,
  low: r.n >= 2 ? r.low : null,
  high: r.n >= 2 ? r.high : null,
});

export interface LineFigureSpec {
  file: string;
  title: string;
  xTitle: string;
  /** Session times and link rates span decades. */
  xLog: boolean;
  metric: string;
  seriesTitle: string;
  points: LinePoint[];
  /** Runs without churn: a dashed horizontal line per series at its mean. */
  reference?: { label: string; values: { series: string; mean: number }[] };
}

/** Lines with 95% error bars, one per series; an optional dashed reference level per series (the static runs). */
export async function drawLines(f: LineFigureSpec, outDir: string): Promise<Figure> {
  // Fractions zoomed to the data and never past 1, log axes ending at the data: as the sweeps' figures.
  const ys = [...f.points.flatMap((p) => [p.mean, p.low ?? p.mean, p.high ?? p.mean]), ...(f.reference?.values.map((r) => r.mean) ?? [])];
  const y = { field: "mean", type: "quantitative" as const, title: axisTitle(metricTitle(f.metric)), scale: fractionScale(f.metric, ys) ?? { zero: true } };
  const color = { field: "series", type: "nominal" as const, title: f.seriesTitle };
  // Error bars only where there is an interval: one seed gives none, and a zero-length bar would read as one.
  const bars = f.points.some((p) => p.low !== null && p.high !== null);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: [f.reference ? `dashed: ${f.reference.label}` : "", bars ? "bars: 95% confidence interval across seeds" : "one seed per point: no confidence interval"].filter((t) => t !== "").join("; ") },
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: f.points },
        encoding: { x: { field: "x", type: "quantitative", title: f.xTitle, scale: f.xLog && f.points.length > 0 ? logScale(f.points.map((p) => p.x)) : { zero: false } }, color },
        layer: [
          { mark: { type: "line", point: true }, encoding: { y } },
          ...(bars ? [{ mark: { type: "errorbar", ticks: true }, encoding: { y: { ...y, field: "low" }, y2: { field: "high" } } }] : []),
        ],
      },
      ...(f.reference && f.reference.values.length > 0
        ? [{ data: { values: f.reference.values }, mark: { type: "rule", strokeDash: [5, 4], opacity: 0.7 }, encoding: { y, color } }]
        : []),
    ],
  } as TopLevelSpec;
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}

export interface CurveFigureSpec {
  file: string;
  title: string;
  /** One curve per series, its points joined in `order` (here: the tuning period). */
  points: { series: string; order: number; label: string; bandwidth: number; latency: number }[];
}

/** Latency against bandwidth, a curve per technique: the PNS trade-off of the paper's figure. */
export async function drawCostCurves(f: CurveFigureSpec, outDir: string): Promise<Figure> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: "each point a tuning period (label); lower left is better" },
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    data: { values: f.points },
    encoding: {
      x: { field: "bandwidth", type: "quantitative", title: metricTitle("maintenance_bytes_per_node_s"), scale: { zero: false } },
      y: { field: "latency", type: "quantitative", title: axisTitle(metricTitle("latency_mean_ms")), scale: { zero: false } },
      color: { field: "series", type: "nominal", title: "PNS technique" },
    },
    layer: [
      { mark: { type: "line", point: { filled: true, size: 60 } }, encoding: { order: { field: "order" } } },
      { mark: { type: "text", dx: 6, dy: -6, align: "left", fontSize: 10 }, encoding: { text: { field: "label" } } },
    ],
  };
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}
