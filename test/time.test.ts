import { describe, expect, it } from "vitest";
import { msFromUs, timerDelayUs, usFromMs } from "../sim/engine/sim-time.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { scenario, silent, tempDir } from "./helpers.js";

describe("simulated time in whole microseconds", () => {
  it("rounds a delay once, to the nearest µs, and a positive timer delay to at least 1 µs", () => {
    expect([usFromMs(1.2344), usFromMs(1.2346), usFromMs(0.0004), usFromMs(0)]).toEqual([1234, 1235, 0, 0]);
    expect([timerDelayUs(0.0004), timerDelayUs(1e-12), timerDelayUs(0), timerDelayUs(2.5)]).toEqual([1, 1, 0, 2500]);
    expect(msFromUs(1234)).toBe(1.234);
  });

  it("a protocol waiting for a deadline with timers of `deadline − now()` wakes a bounded number of times", () => {
    // Deadlines a fraction of a µs off the clock's grid: the remaining wait rounds to nothing, and without the
    // 1 µs floor the node would be woken in the same instant forever.
    let wakeups = 0;
    let reached = 0;
    const waiter: ProtocolDefinition<Record<string, never>> = {
      ...silent,
      create: (rt, options) => {
        const deadline = rt.now() + 1000.0000003;
        const check = () => {
          // Stop a runaway rather than hang the suite.
          if (++wakeups > 1000) throw new Error("woken more than 1,000 times in the same instant");
          if (rt.now() >= deadline) reached++;
          else rt.setTimer(deadline - rt.now(), check);
        };
        rt.setTimer(1000, check);
        return silent.create(rt, options);
      },
    };
    const s = scenario({ name: "deadline", nodes: 20, duration: "2m", warmup: "30s", joinPhase: "10s", churn: { process: "none" }, protocol: { name: "silent" } });
    new Simulation(s, waiter, tempDir(), { check: true }).run();
    expect(reached).toBe(20);
    expect(wakeups).toBeLessThanOrEqual(40);
  });
});
