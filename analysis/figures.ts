import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { polygonHull } from "d3-polygon";
import type { TopLevelSpec } from "vega-lite";
import { metricTitle, paramAxis, paramTitle } from "./figure-labels.js";
import { axisTitle, categoryLabelAngle, figureTitle, fractionScale, logScale, FIGURE_SIZE } from "./figure-layout.js";
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
  // Series and categories in the order of summary.csv, which sorts numbers as numbers (2.9m before 11.7m).
  const series = [...new Set(values.map((v) => v.series))];
  const categories = [...new Set(values.map((v) => String(v.x)))];
  const categorical = axis.kind === "category";
  const xEncoding = categorical
    ? { field: "x", type: "nominal" as const, title: paramTitle(x), sort: categories, axis: { labelAngle: categoryLabelAngle(categories), labelLimit: 200 } }
    : {
        field: "x",
        type: "quantitative" as const,
        title: paramTitle(x),
        scale: axis.kind === "minutes" ? logScale(values.map((v) => v.x as number)) : { zero: false },
      };
  const yScale = fractionScale(metric, values.flatMap((v) => [v.low, v.high] as number[]));
  const y = (field: string) => ({ field, type: "quantitative" as const, title: axisTitle(metricTitle(metric)), ...(yScale === undefined ? {} : { scale: yScale }) });
  const title = `${metricTitle(metric)} against ${paramTitle(x)}`;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(title),
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    data: { values },
    encoding: {
      x: xEncoding,
      // On a categorical axis the series sit side by side within each category, so their error bars do not
      // overlap; lines would then zigzag between offsets, so categories get points alone.
      ...(categorical && series.length > 1 ? { xOffset: { field: "series", sort: series } } : {}),
      color: { field: "series", type: "nominal", sort: series, title: params.length > 1 ? params.filter((p) => p !== x).map(paramTitle).join(", ") : null },
    },
    layer: [
      categorical
        ? { mark: { type: "point", filled: true, size: 70 }, encoding: { y: y("mean") } }
        : { mark: { type: "line", point: true }, encoding: { y: y("mean") } },
      // Caps a few pixels wide: caps as wide as a category's band read as reference lines.
      { mark: { type: "errorbar", ticks: { size: 10 } }, encoding: { y: y("low"), y2: { field: "high" } } },
    ],
  };
  const file = `${metric}-vs-${x.replace(/[^A-Za-z0-9]+/g, "-")}`;
  await renderFigure(spec, join(outDir, file));
  return { file, title };
}

/**
 * A grid point's environment, as sweeps define it for common random numbers: the swept parameters outside the
 * protocol's (churn, network, workload). Designs are compared within an environment, never across.
 */
const isDesign = (param: string) => param === "protocol" || param.startsWith("protocol.");

/**
 * The performance-versus-cost view of p2psim studies: each grid point's mean latency against its total
 * bandwidth, and per environment (e.g. churn level) the convex hull of its points, whose lower-left edge is the
 * best trade-off the designs achieve there. One hull over several environments would mix points no design can
 * choose between.
 */
export async function costFigure(rows: SummaryRow[], params: string[], outDir: string): Promise<Figure> {
  const key = (r: SummaryRow) => params.map((p) => r.point[p]).join("\u0000");
  const label = (r: SummaryRow, ps: string[], none: string) => (ps.length === 0 ? none : ps.map((p) => `${p.split(".").pop()}=${r.point[p]}`).join(", "));
  const environmentParams = params.filter((p) => !isDesign(p));
  const designParams = params.filter(isDesign);
  const cost = new Map(rows.filter((r) => r.metric === "total_bytes_per_node_s").map((r) => [key(r), r.mean]));
  const points = rows
    .filter((r) => r.metric === "latency_mean_ms" && r.mean !== null && cost.get(key(r)) != null)
    .map((r) => ({
      bandwidth: cost.get(key(r)) as number,
      latency: r.mean as number,
      environment: label(r, environmentParams, "all runs"),
      design: label(r, designParams, "one design"),
    }));
  const environments = [...new Set(points.map((p) => p.environment))];
  const ring = environments.flatMap((environment) => {
    const own = points.filter((p) => p.environment === environment);
    // Two designs give a segment, three or more a polygon.
    const corners = own.map((p): [number, number] => [p.bandwidth, p.latency]);
    const hull = own.length >= 3 ? (polygonHull(corners) ?? []) : own.length === 2 ? corners : [];
    return hull.length === 0 ? [] : [...hull, hull[0]].map(([bandwidth, latency], order) => ({ bandwidth, latency, order, environment }));
  });
  const title = "performance against cost: mean lookup latency against total bandwidth";
  const colour = { field: "environment", type: "nominal" as const, sort: environments, title: environmentParams.length === 0 ? null : environmentParams.map(paramTitle).join(", ") };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: figureTitle(title),
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: ring },
        mark: { type: "line", strokeDash: [4, 3], opacity: 0.7 },
        encoding: {
          x: { field: "bandwidth", type: "quantitative" },
          y: { field: "latency", type: "quantitative" },
          color: colour,
          detail: { field: "environment" },
          order: { field: "order" },
        },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          // Padded, so points at the ends of the data are not drawn on the frame.
          x: { field: "bandwidth", type: "quantitative", title: metricTitle("total_bytes_per_node_s"), scale: { zero: false, padding: 16 } },
          y: { field: "latency", type: "quantitative", title: axisTitle(metricTitle("latency_mean_ms")), scale: { zero: false, padding: 16 } },
          color: colour,
          ...(designParams.length === 0 ? {} : { shape: { field: "design", type: "nominal" as const, title: designParams.map(paramTitle).join(", ") } }),
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
