import { describe, expect, it } from "vitest";
import { createProgress, fmtSpan, progressLine } from "../scripts/progress.js";

/** A log stream (not a terminal) that keeps what is written, and a clock the test moves by hand. */
function fakes() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  let now = 1000;
  return { lines, stream, clock: () => now, advance: (ms: number) => (now += ms) };
}

describe("progress lines in logs", () => {
  it("show the simulated time reached, the wall time so far and the time left", () => {
    expect(progressLine("kazaa seed 1", 54_000, 180_000, 2000, 100_000)).toBe(
      "kazaa seed 1: 30% (54.0 s of 3.0 min simulated, 2.0 s wall, ETA 4.7 s, 50,000 events/s)",
    );
  });

  it("print one line per tenth entered, with the time actually reached when a tenth is jumped over", () => {
    const f = fakes();
    const p = createProgress("run", 180_000, f.stream, f.clock);
    f.advance(500);
    p.update(10_000, 1); // 5%: no tenth yet
    f.advance(1500);
    p.update(66_000, 2); // from 5% to 36% at once: one line, not three saying the same
    f.advance(1000);
    p.update(70_000, 3); // still in the fourth tenth
    f.advance(1000);
    p.update(72_000, 4);
    expect(f.lines).toEqual([
      "run: 36% (1.1 min of 3.0 min simulated, 2.0 s wall, ETA 3.5 s, 1 events/s)\n",
      "run: 40% (1.2 min of 3.0 min simulated, 4.0 s wall, ETA 6.0 s, 1 events/s)\n",
    ]);
  });

  it("never show more than the run's length while lookups drain after the end, and say 100% once", () => {
    const f = fakes();
    const p = createProgress("run", 60_000, f.stream, f.clock);
    f.advance(3000);
    p.update(75_000, 30);
    f.advance(1000);
    p.update(90_000, 40);
    expect(f.lines).toEqual(["run: 100% (1.0 min of 1.0 min simulated, 3.0 s wall, ETA 0.0 s, 10 events/s)\n"]);
  });

  it("write spans in seconds, minutes or hours", () => {
    expect([fmtSpan(1500), fmtSpan(90_000), fmtSpan(5_400_000)]).toEqual(["1.5 s", "1.5 min", "1.50 h"]);
  });
});
