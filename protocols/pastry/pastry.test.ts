import { describe, expect, it } from "vitest";
import { checkProtocolOptions } from "../../sim/protocol-options.js";
import { PROTOCOLS } from "../index.js";

describe("the pastry preset", () => {
  it("is Bamboo with FreePastry's reactive recovery and fixed timeouts by default, each still overridable", () => {
    const options: Record<string, unknown> = {};
    checkProtocolOptions(PROTOCOLS, "pastry", options);
    const parsed = PROTOCOLS.pastry.parseOptions(options);
    expect(parsed.recovery).toBe("reactive");
    expect(parsed.timeouts).toBe("fixed");
    expect(parsed.fixedTimeoutMs).toBe(5000);
    const periodic: Record<string, unknown> = { recovery: "periodic" };
    checkProtocolOptions(PROTOCOLS, "pastry", periodic);
    expect(PROTOCOLS.pastry.parseOptions(periodic).recovery).toBe("periodic");
    // Bamboo's own defaults are untouched.
    const bamboo: Record<string, unknown> = {};
    checkProtocolOptions(PROTOCOLS, "bamboo", bamboo);
    expect(PROTOCOLS.bamboo.parseOptions(bamboo).recovery).toBe("periodic");
  });
});
