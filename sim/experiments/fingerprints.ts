import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROTOCOLS } from "../../protocols/index.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { Simulation } from "../simulation/simulation.js";

/**
 * Determinism fingerprints: for a few fixed runs, a hash of the CSV outputs. CI recomputes them, so any change
 * that alters results is noticed, and is either fixed or re-recorded on purpose (`npm run fingerprints --
 * --update`) with the reason in the commit message.
 */
export interface Fingerprint {
  scenario: string;
  seed: number;
  nodes: number;
  duration: string;
  sha256: string;
}

const root = fileURLToPath(new URL("../..", import.meta.url));
export const FINGERPRINTS_FILE = join(root, "test", "fingerprints.json");
const OUTPUTS = ["lookups.csv", "bandwidth.csv", "timeseries.csv"];

export function fingerprint(f: Omit<Fingerprint, "sha256">): string {
  const scenario = loadScenario(join(root, f.scenario), { seed: f.seed, nodes: f.nodes, duration: f.duration, set: [{ path: "warmup", value: "1m" }] }, (name, options) =>
    checkProtocolOptions(PROTOCOLS, name, options),
  );
  const dir = mkdtempSync(join(tmpdir(), "churnsim-fingerprint-"));
  try {
    new Simulation(scenario, PROTOCOLS[scenario.protocol.name], dir).run();
    const hash = createHash("sha256");
    for (const file of OUTPUTS) hash.update(readFileSync(join(dir, file)));
    return hash.digest("hex");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function recorded(): Fingerprint[] {
  return JSON.parse(readFileSync(FINGERPRINTS_FILE, "utf8")) as Fingerprint[];
}
