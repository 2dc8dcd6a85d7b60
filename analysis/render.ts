import { writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Renders a Vega-Lite spec to `<base>.svg` and `<base>.png`, headless: no browser, no canvas. */
export async function renderFigure(spec: TopLevelSpec, base: string): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  writeFileSync(`${base}.svg`, svg);
  const png = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  writeFileSync(`${base}.png`, png);
}

/** Legible defaults for every figure: a readable font size, titles on axes and legends. */
export const FIGURE_CONFIG = {
  font: "DejaVu Sans",
  axis: { labelFontSize: 12, titleFontSize: 13, grid: true },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 400, titleLimit: 400 },
  title: { fontSize: 15 },
} as const;
