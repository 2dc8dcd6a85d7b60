import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns, comparisonTable, type RunPair } from "../analysis/live/comparison.js";

const root = new URL("..", import.meta.url).pathname;
const committed = join(root, "reference", "live");
const comparisons = existsSync(committed) ? readdirSync(committed).filter((d) => existsSync(join(committed, d, "comparison.md"))) : [];
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

describe("the committed sim/live comparisons", () => {
  it("exist", () => {
    expect(comparisons.length).toBeGreaterThan(0);
  });

  for (const name of comparisons) {
    it(`${name}: the table follows from its runs' summaries, and each seed's two runs ran one scenario`, () => {
      const dir = join(committed, name);
      const seeds = readdirSync(dir)
        .filter((d) => d.startsWith("live-"))
        .map((d) => Number(d.slice("live-".length)))
        .sort((a, b) => a - b);
      const pairs: RunPair[] = seeds.map((seed) => {
        expect(read(join(dir, `live-${seed}`), "scenario.json")).toBe(read(join(dir, `sim-${seed}`), "scenario.json"));
        return { seed, simulated: JSON.parse(read(join(dir, `sim-${seed}`), "summary.json")), live: JSON.parse(read(join(dir, `live-${seed}`), "summary.json")) };
      });
      expect(read(dir, "comparison.md")).toContain(comparisonTable(compareRuns(pairs)));
    });
  }
});
