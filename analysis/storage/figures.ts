import { join } from "node:path";
import { axisTitle, figureTitle, FIGURE_SIZE } from "../figure-layout.js";
import { polygonHull } from "d3-polygon";
import type { TopLevelSpec } from "vega-lite";
import { metricTitle } from "../figure-labels.js";
import type { Figure } from "../figures.js";
import { FIGURE_CONFIG, renderFigure } from "../render.js";

export interface BoundPoint {
  design: string;
  label: string;
  bound: number;
  cost: number;
}

/**
 * Data-maintenance bandwidth against the Blake–Rodrigues bound 2(S/N)/T, log–log, one colour per design, with the
 * bound itself as the line y = x: a design on the line moves only what joins and departures force.
 */
export async function drawBoundFigure(f: { file: string; title: string; subtitle: string; points: BoundPoint[] }, outDir: string): Promise<Figure> {
  const xs = f.points.flatMap((p) => [p.bound, p.cost]).filter((x) => x > 0);
  const [lo, hi] = xs.length > 0 ? [Math.min(...xs) / 1.5, Math.max(...xs) * 1.5] : [1, 10];
  const line = [
    { bound: lo, cost: lo },
    { bound: hi, cost: hi },
  ];
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: f.subtitle },
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: line },
        mark: { type: "line", strokeDash: [5, 4], color: "#444" },
        encoding: {
          x: { field: "bound", type: "quantitative", scale: { type: "log", domain: [lo, hi] } },
          y: { field: "cost", type: "quantitative", scale: { type: "log", domain: [lo, hi] } },
        },
      },
      {
        data: { values: f.points.filter((p) => p.bound > 0 && p.cost > 0) },
        encoding: {
          x: { field: "bound", type: "quantitative", title: "Blake–Rodrigues bound 2(S/N)/T (bytes/s per node, log scale)", scale: { type: "log", domain: [lo, hi] } },
          y: { field: "cost", type: "quantitative", title: axisTitle(`${metricTitle("data_maintenance_bytes_per_node_s")}, log scale`), scale: { type: "log", domain: [lo, hi] } },
          color: { field: "design", type: "nominal", title: "design" },
        },
        layer: [
          { mark: { type: "point", filled: true, size: 70 } },
          { mark: { type: "text", dx: 6, dy: -6, align: "left", fontSize: 9 }, encoding: { text: { field: "label" } } },
        ],
      },
    ],
  } as TopLevelSpec;
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}

export interface HullPoint {
  label: string;
  series: string;
  cost: number;
  performance: number;
}

/**
 * Performance against cost, each grid point labelled, with the convex hull of the points dashed (as the sweep
 * report's cost figure draws it): here performance is higher-is-better, so the upper-left edge is the best trade-off.
 */
export async function drawHullFigure(f: { file: string; title: string; subtitle: string; points: HullPoint[]; costMetric: string; performanceMetric: string; seriesTitle: string }, outDir: string): Promise<Figure> {
  const hull = f.points.length >= 3 ? (polygonHull(f.points.map((p) => [p.cost, p.performance])) ?? []) : [];
  const ring = hull.length > 0 ? [...hull, hull[0]].map(([cost, performance], order) => ({ cost, performance, order })) : [];
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { ...figureTitle(f.title), subtitle: f.subtitle },
    ...FIGURE_SIZE,
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: ring },
        mark: { type: "line", strokeDash: [4, 3], color: "#888" },
        encoding: { x: { field: "cost", type: "quantitative" }, y: { field: "performance", type: "quantitative" }, order: { field: "order" } },
      },
      {
        data: { values: f.points },
        encoding: {
          x: { field: "cost", type: "quantitative", title: metricTitle(f.costMetric), scale: { zero: false } },
          y: { field: "performance", type: "quantitative", title: axisTitle(metricTitle(f.performanceMetric)), scale: { zero: false } },
          color: { field: "series", type: "nominal", title: f.seriesTitle },
        },
        layer: [
          { mark: { type: "point", filled: true, size: 70 } },
          { mark: { type: "text", dx: 6, dy: -6, align: "left", fontSize: 10 }, encoding: { text: { field: "label" } } },
        ],
      },
    ],
  };
  await renderFigure(spec, join(outDir, f.file));
  return { file: f.file, title: f.title };
}
