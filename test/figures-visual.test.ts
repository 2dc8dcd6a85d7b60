import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { costFigure, lineFigure } from "../analysis/figures.js";
import type { SummaryRow } from "../analysis/read-summary.js";
import { tempDir } from "./helpers.js";
import { decodePng, differingShare } from "./png.js";

const fixtures = new URL("fixtures/figures/", import.meta.url).pathname;
// CHURNSIM_UPDATE_FIGURES=1 re-records the references after a deliberate change to the figures (look at them first).
const update = process.env.CHURNSIM_UPDATE_FIGURES === "1";

/** A sweep of five churn levels by two recovery designs, three seeds each: every kind of sweep figure has data. */
function rows(): SummaryRow[] {
  const out: SummaryRow[] = [];
  ["1.4m", "2.9m", "5.8m", "11.7m", "23m"].forEach((tMed, i) =>
    ["periodic", "reactive"].forEach((recovery, j) => {
      const point = { "churn.tMed": tMed, "protocol.recovery": recovery };
      const latency = 400 - 50 * i + 30 * j;
      const consistent = 0.993 + 0.0012 * i + 0.0005 * j;
      const bandwidth = 300 + 200 * j - 20 * i + 5 * i * j;
      out.push({ point, metric: "latency_mean_ms", n: 3, mean: latency, low: latency - 20, high: latency + 25 });
      out.push({ point, metric: "consistent_fraction", n: 3, mean: consistent, low: consistent - 0.002, high: Math.min(1, consistent + 0.002) });
      out.push({ point, metric: "total_bytes_per_node_s", n: 3, mean: bandwidth, low: bandwidth - 10, high: bandwidth + 10 });
    }),
  );
  return out;
}

const params = ["churn.tMed", "protocol.recovery"];

// One figure of each type: a metric against a log axis of session times, a fraction against categories, and the
// performance-versus-cost view. Fonts and anti-aliasing differ a little between machines, hence the tolerance.
const FIGURES: [string, (dir: string) => Promise<{ file: string }>][] = [
  ["line, log axis", (dir) => lineFigure(rows(), params, "churn.tMed", "latency_mean_ms", dir)],
  ["fraction, categories", (dir) => lineFigure(rows(), params, "protocol.recovery", "consistent_fraction", dir)],
  ["performance against cost", (dir) => costFigure(rows(), params, dir)],
];

describe("sweep figures look as recorded", () => {
  it.each(FIGURES)("%s", async (_name, draw) => {
    const dir = tempDir();
    const { file } = await draw(dir);
    const drawn = join(dir, `${file}.png`);
    const reference = join(fixtures, `${file}.png`);
    if (update) {
      mkdirSync(fixtures, { recursive: true });
      copyFileSync(drawn, reference);
    }
    expect(existsSync(reference), `no reference test/fixtures/figures/${file}.png: record it with CHURNSIM_UPDATE_FIGURES=1`).toBe(true);
    const now = decodePng(readFileSync(drawn));
    const then = decodePng(readFileSync(reference));
    // Every sweep figure is one size, whatever its title, legend and labels.
    expect([now.width, now.height]).toEqual([1600, 960]);
    expect([now.width, now.height]).toEqual([then.width, then.height]);
    expect(differingShare(now.rgba, then.rgba), `${file}.png differs from test/fixtures/figures/${file}.png`).toBeLessThan(0.001);
  });
});
