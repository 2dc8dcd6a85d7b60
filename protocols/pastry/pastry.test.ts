import { describe, expect, it } from "vitest";
import { checkProtocolOptions, parseProtocolOptions } from "../../sim/scenario/protocol-options.js";
import { PROTOCOLS } from "../index.js";

describe("the pastry preset", () => {
  it("is Bamboo with FreePastry's reactive recovery and fixed timeouts by default, each still overridable", () => {
    const options: Record<string, unknown> = {};
    checkProtocolOptions(PROTOCOLS, "pastry", options);
    const parsed = parseProtocolOptions(PROTOCOLS.pastry, options);
    expect(parsed.recovery).toBe("reactive");
    expect(parsed.timeouts).toBe("fixed");
    expect(parsed.fixedTimeoutMs).toBe(5000);
    const periodic: Record<string, unknown> = { recovery: "periodic" };
    checkProtocolOptions(PROTOCOLS, "pastry", periodic);
    expect(parseProtocolOptions(PROTOCOLS.pastry, periodic).recovery).toBe("periodic");
    // Bamboo's own defaults are untouched.
    const bamboo: Record<string, unknown> = {};
    checkProtocolOptions(PROTOCOLS, "bamboo", bamboo);
    expect(parseProtocolOptions(PROTOCOLS.bamboo, bamboo).recovery).toBe("periodic");
  });
});
