import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { FIGURE_SIZE, figureTitle } from "../figure-layout.js";
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
