import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../../protocols/index.js";
import { parseScenario } from "../scenario/load-scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { estimateRunBytes, largerHeapMiB, refuseIfTooLarge } from "./memory-estimate.js";

const scenario = (nodes: number, protocol: string) =>
  parseScenario({ name: "m", nodes, duration: "10m", warmup: "1m", churn: { process: "replacement", tMed: "2.4m" }, protocol: { name: protocol } }, "m.json", {}, (n, o) =>
    checkProtocolOptions(PROTOCOLS, n, o),
  );

describe("memory estimate", () => {
  it("grows linearly with N for Bamboo and quadratically for full membership", () => {
    const b1 = estimateRunBytes(scenario(10_000, "bamboo"), PROTOCOLS.bamboo);
    const b10 = estimateRunBytes(scenario(100_000, "bamboo"), PROTOCOLS.bamboo);
    const o1 = estimateRunBytes(scenario(10_000, "onehop"), PROTOCOLS.onehop);
    const o10 = estimateRunBytes(scenario(100_000, "onehop"), PROTOCOLS.onehop);
    expect(b10 / b1).toBeLessThan(11);
    expect(o10 / o1).toBeGreaterThan(50);
  });

  it("refuses a run that cannot fit, with the estimate", () => {
    expect(() => refuseIfTooLarge(scenario(1_000_000, "bamboo"), PROTOCOLS.bamboo, 16 * 2 ** 30, "big.json")).toThrow(
      /big\.json: \/nodes: 1000000 nodes of bamboo need about \d+\.\d GiB of memory, more than the 16\.0 GiB available/,
    );
    expect(refuseIfTooLarge(scenario(1000, "bamboo"), PROTOCOLS.bamboo, 16 * 2 ** 30)).toBeLessThan(2 ** 30);
  });

  it("asks for a larger heap only beyond this process's, below the estimate (which counts memory outside V8's heap) and within what is available", () => {
    const estimate = estimateRunBytes(scenario(100_000, "bamboo"), PROTOCOLS.bamboo);
    const larger = largerHeapMiB(estimate, 20 * 2 ** 30) as number;
    expect(larger * 2 ** 20).toBeLessThan(estimate);
    expect(larger * 2 ** 20).toBeGreaterThan(getHeapStatistics().heap_size_limit);
    expect(largerHeapMiB(estimate, 2 ** 30)).toBeNull();
    expect(largerHeapMiB(estimateRunBytes(scenario(1000, "bamboo"), PROTOCOLS.bamboo), 20 * 2 ** 30)).toBeNull();
  });
});
