import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROTOCOLS } from "../../protocols/index.js";
import { parseAssignment } from "../scenario/json-path.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { Simulation } from "../simulation/simulation.js";
import { layersFor, storageExtras } from "./layers.js";

/**
 * Determinism fingerprints: for fixed small runs covering every protocol (Chord with both routings), every churn
 * process, every fault type, every storage replication and the service layer's clients and admission, a hash of the CSV outputs. CI recomputes them, so any change that alters results
 * is noticed, and is either fixed or re-recorded on purpose (`npm run fingerprints -- --update`) with the reason
 * in the commit message. Floating-point results may differ between Node major versions (V8's Math functions),
 * so the file records the version it was taken with; under another, a difference is reported, not failed.
 */
export interface Fingerprint {
  /** What the run covers, e.g. "chord iterative" or "fault: partition". */
  name: string;
  scenario: string;
  seed: number;
  nodes: number;
  duration: string;
  /** `--set` overrides, as on the command line. */
  set: string[];
  sha256: string;
}

export interface FingerprintFile {
  /** Node's major version when the hashes were recorded. */
  node: number;
  runs: Fingerprint[];
}

const root = fileURLToPath(new URL("../..", import.meta.url));
export const FINGERPRINTS_FILE = join(root, "test", "fingerprints.json");
const OUTPUTS = ["lookups.csv", "bandwidth.csv", "timeseries.csv"];
/** A run with a storage layer also writes one row per operation. */
const STORAGE_OUTPUTS = ["puts.csv", "gets.csv"];

export const NODE_MAJOR = Number(process.versions.node.split(".")[0]);

export function fingerprint(f: Omit<Fingerprint, "sha256">): string {
  const set = [{ path: "warmup", value: "1m" }, ...f.set.map(parseAssignment)];
  const scenario = loadScenario(join(root, f.scenario), { seed: f.seed, nodes: f.nodes, duration: f.duration, set }, (name, options) =>
    checkProtocolOptions(PROTOCOLS, name, options),
  );
  const dir = mkdtempSync(join(tmpdir(), "churnsim-fingerprint-"));
  try {
    new Simulation(scenario, PROTOCOLS[scenario.protocol.name], dir, { check: true, ...layersFor(scenario) }).run();
    const hash = createHash("sha256");
    const files = scenario.storage === null ? OUTPUTS : [...OUTPUTS, ...STORAGE_OUTPUTS, ...storageExtras(scenario.storage)];
    for (const file of files) hash.update(readFileSync(join(dir, file)));
    return hash.digest("hex");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function recorded(): FingerprintFile {
  return JSON.parse(readFileSync(FINGERPRINTS_FILE, "utf8")) as FingerprintFile;
}
