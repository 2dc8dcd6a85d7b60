import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../../protocols/index.js";
import { loadScenario, parseScenario } from "./load-scenario.js";
import { checkProtocolOptions } from "./protocol-options.js";
import { type ScenarioOverrides } from "./scenario.js";

const check = (name: string, options: Record<string, unknown>) => checkProtocolOptions(PROTOCOLS, name, options);
const parse = (doc: Record<string, unknown>, overrides: ScenarioOverrides = {}) => parseScenario(doc, "test.json", overrides, check);
const minimal = { name: "t", protocol: { name: "onehop" } };

describe("scenario files", () => {
  it("fills every default and converts units", () => {
    const s = parse(minimal);
    expect(s.nodes).toBe(1000);
    expect(s.durationMs).toBe(3_600_000);
    expect(s.churn).toEqual({ process: "none" });
    expect(s.links).toEqual({ uplinkBps: 0, downlinkBps: 0, queueBytes: 65_536, lossRate: 0, processingUs: 0 });
    expect(s.protocol.options).toEqual({ pingInterval: "5s", timeout: "2s", joinRetry: "10s" });
    // The written-out document carries the defaults, so it reproduces the run on its own.
    expect((s.document.workload as Record<string, unknown>).lookupInterval).toBe("10s");
  });

  it("takes a preset's median for the replacement process, and tMed over it", () => {
    expect(parse({ ...minimal, churn: { process: "replacement", preset: "kazaa" } }).churn).toEqual({ process: "replacement", tMedMs: 144_000 });
    expect(parse({ ...minimal, churn: { process: "replacement", preset: "kazaa", tMed: "23m" } }).churn).toEqual({
      process: "replacement",
      tMedMs: 23 * 60_000,
    });
  });

  it("applies command-line overrides before validating", () => {
    const s = parse(minimal, { seed: 9, nodes: 50, duration: "20m", set: [{ path: "churn.process", value: "replacement" }, { path: "churn.tMed", value: "5m" }] });
    expect([s.seed, s.nodes, s.durationMs]).toEqual([9, 50, 1_200_000]);
    expect(s.churn).toEqual({ process: "replacement", tMedMs: 300_000 });
  });

  it.each([
    [{ ...minimal, nodes: "many" }, "test.json: /nodes: expected a whole number"],
    [{ ...minimal, duration: "-5m" }, 'test.json: /duration: expected a duration such as "500ms", "90s", "23m" or "1.4h"'],
    [{ ...minimal, colour: "blue" }, "test.json: /colour: unknown key (expected one of"],
    [{ ...minimal, nodez: 5 }, 'test.json: /nodez: unknown key; did you mean "nodes"?'],
    [{ name: "t" }, 'test.json: /: missing required key "protocol"'],
    [{ ...minimal, churn: { process: "sometimes" } }, 'test.json: /churn/process: expected one of "none", "replacement", "lifetime", "trace"'],
    [{ ...minimal, churn: { process: "replacement" } }, 'test.json: /churn: expected "tMed" or "preset" for the replacement process'],
    [{ ...minimal, churn: { process: "replacement", tMed: "0s" } }, "test.json: /churn/tMed: expected a duration greater than zero"],
    [{ ...minimal, churn: { process: "replacement", preset: "kazaa", shape: "heavy-tailed" } }, "replacement process makes sessions exponential"],
    [{ ...minimal, churn: { process: "lifetime", sessions: { distribution: "weibull", median: "2m" } } }, '/churn/sessions: missing required key "k"'],
    [{ ...minimal, churn: { process: "lifetime", sessions: { distribution: "exponential", median: "2m", k: 2 } } }, "/churn/sessions/k: not a parameter of the exponential distribution"],
    [{ ...minimal, churn: { process: "lifetime", sessions: { distribution: "pareto", alpha: 1, median: "2m" } } }, "/churn/sessions/alpha: expected more than 1"],
    [{ ...minimal, network: { uplink: "fast" } }, '/network/uplink: expected a bit rate such as "1Mbps"'],
    [{ ...minimal, network: { loss: 2 } }, "/network/loss: expected at most 1"],
    [{ ...minimal, network: { latency: { model: "file" } } }, '/network/latency: missing required key "file"'],
    [{ ...minimal, warmup: "2h" }, "/warmup: expected less than the duration (1h)"],
    [{ ...minimal, protocol: { name: "gossip" } }, '/protocol/name: unknown protocol "gossip"; expected one of "bamboo", "chord", "kademlia", "onehop", "pastry"'],
    [{ ...minimal, protocol: { name: "onehop", timeout: 5 } }, '/protocol/timeout: expected a duration such as "500ms"'],
    [{ ...minimal, protocol: { name: "onehop", retries: 5 } }, '/protocol/retries: not an option of protocol "onehop" (expected one of'],
    [{ ...minimal, protocol: { name: "onehop", timeout: "5 sec" } }, '/protocol/timeout: expected a duration such as "500ms", "90s", "23m" or "1.4h"'],
  ])("rejects %j naming the path and what was expected", (doc, message) => {
    expect(() => parse(doc as Record<string, unknown>)).toThrow(message);
  });

  it("names the file when it is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "churnsim-scenario-"));
    expect(() => loadScenario(join(dir, "absent.json"), {}, check)).toThrow(/absent\.json: cannot read the scenario file \(ENOENT\)/);
    writeFileSync(join(dir, "broken.json"), "{ nodes: 3 ");
    expect(() => loadScenario(join(dir, "broken.json"), {}, check)).toThrow(/broken\.json:1:3: not valid JSON/);
  });

  it("accepts every shipped scenario", async () => {
    const { readdirSync } = await import("node:fs");
    const dir = new URL("../../scenarios/", import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "schema.json");
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(() => loadScenario(join(dir, f), {}, check)).not.toThrow();
  });
});
