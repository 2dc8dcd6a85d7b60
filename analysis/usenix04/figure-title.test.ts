import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drawLines } from "./figures.js";

/** Where a rendered figure's title starts, in pixels from the image's top (negative: cut off). */
function titleTop(svg: string): number {
  const root = svg.match(/translate\(([\d.]+),([\d.]+)\)/) as RegExpMatchArray;
  const title = svg.match(/role-title"><g transform="translate\(([-\d.]+),([-\d.]+)\)/) as RegExpMatchArray;
  return Number(root[2]) + Number(title[2]);
}

describe("the studies' line figures", () => {
  it("keep their title on the image when the metric's axis title is longer than the plot is high", async () => {
    const dir = mkdtempSync(join(tmpdir(), "churnsim-figure-"));
    const points = [1.4, 2.9, 5.8].flatMap((x, i) => ["A", "B"].map((series) => ({ x, series, mean: 0.5 + i * 0.1, low: 0.45 + i * 0.1, high: 0.55 + i * 0.1 })));
    // "gets returning every value expected (fraction)": longer than the plot is high, drawn on one line it pushed
    // the figure's title 30 px above the image.
    await drawLines({ file: "f", title: "Experiment 1: complete gets against median session time", xTitle: "x", xLog: true, metric: "get_complete_fraction", seriesTitle: "design", points }, dir);
    expect(titleTop(readFileSync(join(dir, "f.svg"), "utf8"))).toBeGreaterThanOrEqual(0);
  });
});
