import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { polygonHull } from "d3-polygon";
import type { TopLevelSpec } from "vega-lite";
import { metricTitle, paramAxis, paramTitle } from "./figure-labels.js";
import type { SummaryRow } from "./read-summary.js";
import { FIGURE_CONFIG, renderFigure } from "./render.js";

export const DEFAULT_METRICS = ["latency_mean_ms", "consistent_fraction", "failed_fraction", "maintenance_bytes_per_node_s"];

export interface Figure {
  file: string;
  title: string;
}

/** The label of a line: the values of every swept parameter but the one on the x axis. */
function seriesOf(point: Record<string, string>, x: string, params: readonly string[]): string {
  const others = params.filter((p) => p !== x);
  return others.length === 0 ? "all runs" : others.map((p) => `${p.split(".").pop()}=${point[p]}`).join(", ");
}

/** A line per combination of the other parameters, the metric against one swept parameter, with 95% intervals. */
export async function lineFigure(rows: SummaryRow[], params: string[], x: string, metric: string, outDir: string): Promise<Figure> {
  const data = rows.filter((r) => r.metric === metric && r.mean !== null);
  const axis = paramAxis(data.map((r) => r.point[x]));
  const values = data.map((r) => ({
    x: axis.toX(r.point[x]),
    mean: r.mean,
    low: r.low ?? r.mean,
    high: r.high ?? r.mean,
    series: seriesOf(r.point, x, params),
  }));
  const xEncoding =
    axis.kind === "category"
      ? { field: "x", type: "nominal" as const, title: paramTitle(x) }
      : { field: "x", type: "quantitative" as const, title: paramTitle(x), scale: axis.kind === "minutes" ? { type: "log" as const } : { zero: false } };
  const title = `${metricTitle(metric)} against ${paramTitle(x)}`;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 520,
    height: 320,
    config: FIGURE_CONFIG,
    data: { values },
    encoding: {
      x: xEncoding,
      color: { field: "series", type: "nominal", title: params.length > 1 ? params.filter((p) => p !== x).map(paramTitle).join(", ") : null },
    },
    layer: [
      { mark: { type: "line", point: true }, encoding: { y: { field: "mean", type: "quantitative", title: metricTitle(metric) } } },
      { mark: { type: "errorbar", ticks: true }, encoding: { y: { field: "low", type: "quantitative", title: metricTitle(metric) }, y2: { field: "high" } } },
    ],
  };
  const file = `${metric}-vs-${x.replace(/[^A-Za-z0-9]+/g, "-")}`;
  await renderFigure(spec, join(outDir, file));
  return { file, title };
}

/**
 * The performance-versus-cost view of p2psim studies: each grid point's mean latency against its total
 * bandwidth, with the convex hull of all points (its lower-left edge is the best achievable trade-off).
 */
export async function costFigure(rows: SummaryRow[], params: string[], outDir: string): Promise<Figure> {
  const key = (r: SummaryRow) => params.map((p) => r.point[p]).join("\u0000");
  const cost = new Map(rows.filter((r) => r.metric === "total_bytes_per_node_s").map((r) => [key(r), r.mean]));
  const points = rows
    .filter((r) => r.metric === "latency_mean_ms" && r.mean !== null && cost.get(key(r)) != null)
    .map((r) => ({ bandwidth: cost.get(key(r)) as number, latency: r.mean as number, point: params.map((p) => `${p.split(".").pop()}=${r.point[p]}`).join(", ") }));
  const hull = points.length >= 3 ? (polygonHull(points.map((p) => [p.bandwidth, p.latency])) ?? []) : [];
  const ring = hull.length > 0 ? [...hull, hull[0]].map(([bandwidth, latency], order) => ({ bandwidth, latency, order })) : [];
  const title = "performance against cost: mean lookup latency against total bandwidth";
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 520,
    height: 320,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: ring },
        mark: { type: "line", strokeDash: [4, 3], color: "#888" },
        encoding: {
          x: { field: "bandwidth", type: "quantitative" },
          y: { field: "latency", type: "quantitative" },
          order: { field: "order" },
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          x: { field: "bandwidth", type: "quantitative", title: metricTitle("total_bytes_per_node_s"), scale: { zero: false } },
          y: { field: "latency", type: "quantitative", title: metricTitle("latency_mean_ms"), scale: { zero: false } },
          color: { field: "point", type: "nominal", title: "grid point" },
        },
      },
    ],
  };
  const file = "performance-vs-cost";
  await renderFigure(spec, join(outDir, file));
  return { file, title };
}

/** Every default figure of a sweep: each default metric against each swept parameter, and the cost view. */
export async function drawSweepFigures(rows: SummaryRow[], params: string[], dir: string, metrics = DEFAULT_METRICS): Promise<Figure[]> {
  const outDir = join(dir, "figures");
  mkdirSync(outDir, { recursive: true });
  const figures: Figure[] = [];
  for (const x of params) for (const metric of metrics) figures.push(await lineFigure(rows, params, x, metric, outDir));
  figures.push(await costFigure(rows, params, outDir));
  return figures;
}
