import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../../protocols/index.js";
import { InputError } from "./errors.js";
import { parseScenario } from "./load-scenario.js";
import { checkProtocolOptions } from "./protocol-options.js";

const check = (name: string, options: Record<string, unknown>) => checkProtocolOptions(PROTOCOLS, name, options);

/** Parsing must either succeed or fail with an InputError that names a JSON path: never anything else. */
function parsesOrExplains(doc: unknown): void {
  try {
    parseScenario(doc as Record<string, unknown>, "fuzz.json", {}, check);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toMatch(/^fuzz\.json: \//);
  }
}

const valid = {
  name: "fuzz",
  nodes: 100,
  duration: "10m",
  warmup: "2m",
  churn: { process: "replacement", tMed: "5m" },
  network: { uplink: "1Mbps", loss: 0.01 },
  workload: { lookupInterval: "10s" },
  protocol: { name: "bamboo", recovery: "reactive" },
  faults: [{ type: "partition", at: "5m", until: "6m", fraction: 0.5 }],
};

const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER, "", "-5m", "1e999h", "NaN", "unlimited", [], {}, null, true, "__proto__", "constructor", "toString"),
);

const paths = ["name", "seed", "nodes", "duration", "warmup", "joinPhase", "churn", "churn.process", "churn.tMed", "churn.preset", "churn.shape",
  "churn.sessions", "network", "network.latency", "network.latency.model", "network.latency.hosts", "network.uplink", "network.queue", "network.loss",
  "workload", "workload.probeSize", "workload.lookupTimeout", "protocol", "protocol.name", "protocol.leafSetSize", "protocol.base", "faults", "faults.0",
  "faults.0.type", "faults.0.at", "metrics.window", "unknownKey"];

function withValueAt(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = path.split(".");
  let node: any = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
    node = node[k];
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

describe("scenario parsing under hostile input", () => {
  it("accepts the valid base document", () => {
    expect(() => parseScenario(structuredClone(valid), "fuzz.json", {}, check)).not.toThrow();
  });

  it("answers any JSON value with a scenario or an error naming the path", () => {
    fc.assert(fc.property(fc.jsonValue(), (doc) => parsesOrExplains(doc)), { numRuns: 300 });
  });

  it("answers a valid scenario with one field replaced by anything with a scenario or an error naming the path", () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), hostile, (path, value) => parsesOrExplains(withValueAt(valid, path, value))),
      { numRuns: 1000 },
    );
  });
});
