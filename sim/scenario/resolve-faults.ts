import { failAt as fail } from "./errors.js";
import type { Fault } from "./scenario.js";
import { parseDuration, parseRate } from "./units.js";

export function resolveFault(f: any, path: string, file: string, durationMs: number): Fault {
  const needs: Record<string, string[]> = {
    partition: ["until", "fraction"],
    "mass-failure": ["fraction"],
    loss: ["until", "rate"],
    slowdown: ["until", "fraction", "uplink"],
  };
  const allowed = new Set(["type", "at", ...needs[f.type], ...(f.type === "mass-failure" ? ["replaceAfter"] : [])]);
  for (const key of Object.keys(f)) if (!allowed.has(key)) fail(file, `${path}/${key}`, `not used by a ${f.type} fault (it takes ${[...allowed].slice(1).join(", ")})`);
  for (const key of needs[f.type]) if (f[key] === undefined) fail(file, path, `missing required key "${key}" for a ${f.type} fault`);
  const atMs = parseDuration(f.at);
  if (atMs >= durationMs) fail(file, `${path}/at`, "expected a time before the end of the run");
  const untilMs = f.until === undefined ? 0 : parseDuration(f.until);
  if (f.until !== undefined && untilMs <= atMs) fail(file, `${path}/until`, `expected a time after "at" (${f.at})`);
  switch (f.type) {
    case "partition":
      if (f.fraction >= 1) fail(file, `${path}/fraction`, "expected less than 1: both sides of a partition need hosts");
      return { type: "partition", atMs, untilMs, fraction: f.fraction };
    case "mass-failure":
      return { type: "mass-failure", atMs, fraction: f.fraction, replaceAfterMs: f.replaceAfter === undefined ? null : parseDuration(f.replaceAfter) };
    case "loss":
      return { type: "loss", atMs, untilMs, rate: f.rate };
    default: {
      if (f.uplink === "unlimited") fail(file, `${path}/uplink`, "expected a bit rate: a slowdown needs a limit");
      return { type: "slowdown", atMs, untilMs, fraction: f.fraction, uplinkBps: parseRate(f.uplink) };
    }
  }
}
