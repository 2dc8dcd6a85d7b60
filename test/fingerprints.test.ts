import { describe, expect, it } from "vitest";
import { fingerprint, NODE_MAJOR, recorded } from "../sim/experiments/fingerprints.js";

const file = recorded();

describe("determinism fingerprints", () => {
  it("cover every protocol, every churn process and every fault type", () => {
    const names = file.runs.map((f) => f.name);
    for (const what of ["bamboo", "chord recursive", "chord iterative", "kademlia", "pastry", "onehop"]) expect(names).toContain(what);
    for (const what of ["churn: none", "churn: replacement", "churn: lifetime", "churn: lifetime with downtime", "churn: trace"]) expect(names).toContain(what);
    for (const what of ["partition", "mass-failure", "loss", "slowdown"]) expect(names).toContain(`fault: ${what}`);
  });

  it.each(file.runs.map((f) => [f.name, f] as const))(
    "%s gives the recorded outputs (re-record on purpose with `npm run fingerprints -- --update`)",
    (_name, f) => {
      const now = fingerprint(f);
      if (file.node !== NODE_MAJOR) {
        // Another Node major version may round differently: report, don't fail.
        if (now !== f.sha256) console.warn(`fingerprint "${f.name}" differs under Node ${NODE_MAJOR} (recorded with Node ${file.node})`);
        return;
      }
      expect(now).toBe(f.sha256);
    },
  );
});
