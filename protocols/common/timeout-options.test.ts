import { describe, expect, it } from "vitest";
import { checkProtocolOptions, parseProtocolOptions } from "../../sim/scenario/protocol-options.js";
import { PROTOCOLS } from "../index.js";
import { coordinateTimeoutOptions, timeoutOptionsSchema, timeoutStrategyOptions } from "./timeout-options.js";

/** A protocol's options as a scenario gives them: checked (defaults filled in), then parsed. */
function parsed(protocol: string, given: Record<string, unknown>) {
  const options = { ...given };
  checkProtocolOptions(PROTOCOLS, protocol, options);
  return { document: options, parsed: parseProtocolOptions(PROTOCOLS[protocol], options) };
}

describe("the timeout options", () => {
  it("list the strategy and its two timeouts, then the coordinate and oracle constants", () => {
    expect(Object.keys(timeoutStrategyOptions)).toEqual(["timeouts", "fixedTimeout", "maxTimeout"]);
    expect(Object.keys(coordinateTimeoutOptions)).toEqual(["vivaldiDimensions", "vivaldiErrorMultiplier", "vivaldiConstant", "oracleFactor"]);
    expect(Object.keys(timeoutOptionsSchema)).toEqual([...Object.keys(timeoutStrategyOptions), ...Object.keys(coordinateTimeoutOptions)]);
  });

  it("default to TCP-style timeouts capped at 5 s, and Vivaldi's and the oracle's constants", () => {
    const { document, parsed: o } = parsed("bamboo", {});
    expect(document).toMatchObject({ timeouts: "tcp", fixedTimeout: "5s", maxTimeout: "5s", vivaldiDimensions: 2, vivaldiErrorMultiplier: 6, vivaldiConstant: "15ms", oracleFactor: 2 });
    expect(o).toMatchObject({ timeouts: "tcp", fixedTimeoutMs: 5000, maxTimeoutMs: 5000, vivaldiDimensions: 2, vivaldiErrorMultiplier: 6, vivaldiConstantMs: 15, oracleFactor: 2 });
  });

  it("parse what a scenario sets, durations in milliseconds", () => {
    const { parsed: o } = parsed("bamboo", { timeouts: "vivaldi", fixedTimeout: "2s", maxTimeout: "1.5s", vivaldiDimensions: 3, vivaldiErrorMultiplier: 4, vivaldiConstant: "20ms", oracleFactor: 3 });
    expect(o).toMatchObject({ timeouts: "vivaldi", fixedTimeoutMs: 2000, maxTimeoutMs: 1500, vivaldiDimensions: 3, vivaldiErrorMultiplier: 4, vivaldiConstantMs: 20, oracleFactor: 3 });
  });

  it("are only the strategy and its timeouts for Chord and Kademlia, whose nodes leave the constants to the strategies", () => {
    for (const protocol of ["chord", "kademlia"]) {
      const { document, parsed: o } = parsed(protocol, { timeouts: "fixed", fixedTimeout: "3s" });
      expect(document).not.toHaveProperty("vivaldiDimensions");
      expect(o).toMatchObject({ timeouts: "fixed", fixedTimeoutMs: 3000, maxTimeoutMs: 5000, vivaldiDimensions: undefined, oracleFactor: undefined });
      expect(() => checkProtocolOptions(PROTOCOLS, protocol, { oracleFactor: 3 })).toThrow();
    }
  });
});
