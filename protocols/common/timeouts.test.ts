import { describe, expect, it } from "vitest";
import { FixedTimeouts, TcpTimeouts } from "./timeouts.js";

describe("TCP-style timeouts", () => {
  it("start at the maximum, then follow Bamboo's Jacobson/Karels estimator", () => {
    const t = new TcpTimeouts(5000);
    expect(t.timeout(1)).toBe(5000);
    t.sample(1, 100);
    expect(t.timeout(1)).toBe(410); // 4m + 10 ms
    t.sample(1, 100);
    // err = 0: SRTT 100, MDEV 75 → 56.25, RTO = 100 + 225 + 10.
    expect(t.timeout(1)).toBeCloseTo(335, 6);
    expect(t.rtt(1)).toBe(100);
  });

  it("converge towards the RTT plus a margin on a steady path, and double on a timeout up to the cap", () => {
    const t = new TcpTimeouts(5000);
    for (let i = 0; i < 50; i++) t.sample(2, 80);
    expect(t.timeout(2)).toBeGreaterThan(80);
    expect(t.timeout(2)).toBeLessThan(100);
    const before = t.timeout(2);
    t.expired(2);
    expect(t.timeout(2)).toBeCloseTo(2 * before, 6);
    for (let i = 0; i < 10; i++) t.expired(2);
    expect(t.timeout(2)).toBe(5000);
  });

  it("keep peers apart and forget on request", () => {
    const t = new TcpTimeouts(5000);
    t.sample(1, 10);
    expect(t.timeout(2)).toBe(5000);
    t.forget(1);
    expect(t.timeout(1)).toBe(5000);
  });
});

describe("fixed timeouts", () => {
  it("are the same for everyone, and still track RTTs for neighbour selection", () => {
    const t = new FixedTimeouts(5000);
    t.sample(1, 120);
    t.expired(1);
    expect(t.timeout(1)).toBe(5000);
    expect(t.rtt(1)).toBe(120);
  });
});
