import { describe, expect, it } from "vitest";
import { fingerprint, recorded } from "../sim/experiments/fingerprints.js";

describe("determinism fingerprints", () => {
  it.each(recorded().map((f) => [`${f.scenario} seed ${f.seed}`, f] as const))(
    "%s gives the recorded outputs (re-record on purpose with `npm run fingerprints -- --update`)",
    (_label, f) => {
      expect(fingerprint(f)).toBe(f.sha256);
    },
  );
});
