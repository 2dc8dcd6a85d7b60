import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { FIGURE_SIZE, figureTitle, fractionScale } from "../figure-layout.js";
import { metricHeading, metricTitle } from "../figure-labels.js";
import type { Figure } from "../figures.js";
import { FIGURE_CONFIG, renderFigure } from "../render.js";

/** One point of a client group's line: time, mean stored kB per member, the algorithm's panel. */
export interface StoredPoint {
  algorithm: string;
  group: string;
  hours: number;
  kb: number;
}

export interface StoredFigureSpec {
  file: string;
  title: string;
  subtitle: string;
  /** Panels in this order. */
  algorithms: string[];
  /** Lines in this order. */
  groups: string[];
  points: StoredPoint[];
}

/** Panels per row: seven algorithms go in two rows of four. */
const COLUMNS = 4;

/**
 * Small multiples, one panel per algorithm, each a line per client group: what fssim plotted (stored bytes per
 * client over time), side by side for every algorithm on one shared scale. Facets cannot `fit` a fixed size, so
 * each panel is sized to make the whole about the project's figure size.
 */
export async function drawStoredFigure(f: StoredFigureSpec, outDir: string): Promise<Figure> {
  const rows = Math.ceil(f.algorithms.length / COLUMNS);
  const width = Math.floor((FIGURE_SIZE.width - 320) / Math.min(COLUMNS, f.algorithms.length));
  const height = Math.floor((FIGURE_SIZE.height - 60 - 50 * rows) / rows);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: f.subtitle },
    config: FIGURE_CONFIG,
    data: { values: f.points },
    columns: COLUMNS,
    facet: { field: "algorithm", type: "nominal", title: null, sort: f.algorithms, header: { labelFontSize: 13 } },
    spec: {
      width,
      height,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "hours", type: "quantitative", title: "time (h)", scale: { zero: true, nice: false } },
        // Slow clients store a hundredth of what fast ones do: a log-like axis shows both (symlog: zero stays zero).
        y: { field: "kb", type: "quantitative", title: "stored per client (kB)", scale: { type: "symlog", constant: 1 }, axis: { values: [0, 1, 10, 100, 1000, 10000], format: ",.0f" } },
        color: { field: "group", type: "nominal", title: "clients", sort: f.groups },
      },
    },
  } as TopLevelSpec;
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}

/** One point of a categorical figure: a category on x, a series (colour), the mean and its 95% interval (null from one seed). */
export interface CategoryPoint {
  category: string;
  series: string;
  mean: number;
  low: number | null;
  high: number | null;
}

export interface CategoryFigureSpec {
  file: string;
  title: string;
  xTitle: string;
  seriesTitle: string;
  /** Its axis title and unit come from the metrics registry. */
  metric: string;
  /** Categories in this order. */
  categories: string[];
  /** Series in this order. */
  series: string[];
  points: CategoryPoint[];
}

/**
 * A metric per category (an admission algorithm, a TTL), one dot per series (a churn level, a tree depth) side by side, with 95%
 * error bars where there is an interval.
 */
export async function drawCategoryFigure(f: CategoryFigureSpec, outDir: string): Promise<Figure> {
  const ys = f.points.flatMap((p) => [p.mean, p.low ?? p.mean, p.high ?? p.mean]);
  // The registry's label when it fits on one line along the plot, else its short heading (a title on two lines
  // pushes the figure's title off the image).
  const title = metricTitle(f.metric).length <= 40 ? metricTitle(f.metric) : metricHeading(f.metric);
  const y = { field: "mean", type: "quantitative" as const, title, scale: fractionScale(f.metric, ys) ?? { zero: true } };
  const bars = f.points.some((p) => p.low !== null && p.high !== null);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: bars ? "bars: 95% confidence interval across seeds" : "one seed per point: no confidence interval" },
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    data: { values: f.points },
    encoding: {
      x: { field: "category", type: "nominal", title: f.xTitle, sort: f.categories, axis: { labelAngle: 0 } },
      xOffset: { field: "series", type: "nominal", sort: f.series },
      color: { field: "series", type: "nominal", title: f.seriesTitle, sort: f.series },
    },
    layer: [
      { mark: { type: "point", filled: true, size: 80 }, encoding: { y } },
      ...(bars ? [{ mark: { type: "errorbar", ticks: true }, encoding: { y: { ...y, field: "low" }, y2: { field: "high" } } }] : []),
    ],
  } as TopLevelSpec;
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}
