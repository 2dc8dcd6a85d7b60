import { createHash } from "node:crypto";
import { resolve } from "node:path";
import type { Scenario } from "../scenario/scenario.js";

/**
 * Where a run goes when no --out is given: `results/<name>-<seed>/`, and when the scenario file was overridden
 * (--nodes, --duration, --set), a short hash of the scenario as run after it, so that variants of one file never
 * collide (and the same variant finds its own results again). Absolute, as the command prints it.
 */
export function defaultResultsDir(scenario: Scenario, overridden: boolean): string {
  const base = `${scenario.name}-${scenario.seed}`;
  if (!overridden) return resolve("results", base);
  // The seed is in the name already; the rest of the resolved document is what the run was.
  const { seed: _seed, ...rest } = scenario.document;
  return resolve("results", `${base}-${documentHash(rest)}`);
}

/** Eight hex digits of a hash of a scenario document, whatever the order its keys were written in. */
export function documentHash(document: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(document)).digest("hex").slice(0, 8);
}

/** JSON with every object's keys sorted: the same document gives the same text whatever order it was written in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
