import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type DistributionSpec, lognormalWithMedian, paretoWithMedian, weibullWithMedian } from "./distribution-specs.js";
import { failAt as fail, InputError } from "./errors.js";
import type { ChurnSpec } from "./scenario.js";
import { PRESETS, type PresetName, presetDistribution } from "./session-presets.js";
import { parseDuration } from "./units.js";

export function resolveChurn(c: any, file: string, base: string): ChurnSpec {
  const onlyWith = (key: string, processes: string) => {
    if (c[key] !== undefined) fail(file, `/churn/${key}`, `only used with "process": ${processes}`);
  };
  switch (c.process) {
    case "none":
      for (const key of ["preset", "tMed", "sessions", "downtime", "file"]) onlyWith(key, '"replacement", "lifetime" or "trace"');
      if (c.format !== "csv") fail(file, "/churn/format", 'only used with "process": "trace"');
      return { process: "none" };
    case "replacement": {
      if (c.format !== "csv") fail(file, "/churn/format", 'only used with "process": "trace"');
      onlyWith("sessions", '"lifetime"');
      onlyWith("downtime", '"lifetime"');
      onlyWith("file", '"trace"');
      if (c.shape !== "exponential") {
        fail(file, "/churn/shape", 'the replacement process makes sessions exponential; use "process": "lifetime" for heavy-tailed sessions');
      }
      if (c.tMed === undefined && c.preset === undefined) fail(file, "/churn", 'expected "tMed" or "preset" for the replacement process');
      const tMedMs = c.tMed !== undefined ? parseDuration(c.tMed) : PRESETS[c.preset as PresetName].median;
      if (tMedMs <= 0) fail(file, "/churn/tMed", "expected a duration greater than zero");
      return { process: "replacement", tMedMs };
    }
    case "lifetime": {
      onlyWith("file", '"trace"');
      if (c.format !== "csv") fail(file, "/churn/format", 'only used with "process": "trace"');
      let sessions: DistributionSpec;
      if (c.sessions !== undefined) {
        if (c.preset !== undefined || c.tMed !== undefined) fail(file, "/churn/sessions", 'give either "sessions" or "preset"/"tMed", not both');
        sessions = resolveDistribution(c.sessions, `/churn/sessions`, file, base);
      } else if (c.preset !== undefined) {
        sessions = presetDistribution(c.preset, c.shape, c.tMed !== undefined ? parseDuration(c.tMed) : undefined);
      } else if (c.tMed !== undefined) {
        sessions = { type: "exponential", median: parseDuration(c.tMed) };
      } else {
        fail(file, "/churn", 'expected "sessions", "preset" or "tMed" for the lifetime process');
      }
      if (sessions.type === "pareto" && sessions.shape <= 1) {
        fail(file, "/churn/sessions/alpha", "expected more than 1: with α ≤ 1 sessions have no mean, so the run cannot start in equilibrium");
      }
      const downtime = c.downtime !== undefined ? resolveDistribution(c.downtime, "/churn/downtime", file, base) : null;
      return { process: "lifetime", sessions, downtime };
    }
    case "trace":
      for (const key of ["preset", "tMed", "sessions", "downtime"]) onlyWith(key, '"replacement" or "lifetime"');
      if (c.file === undefined) fail(file, "/churn", 'missing required key "file" for the trace process');
      return { process: "trace", file: resolve(base, c.file), format: c.format };
    default:
      throw new Error(`unreachable churn process ${c.process}`);
  }
}

function resolveDistribution(s: any, path: string, file: string, base: string): DistributionSpec {
  const allowed: Record<string, string[]> = {
    exponential: ["median"],
    weibull: ["k", "median", "scale"],
    pareto: ["alpha", "median", "scale"],
    lognormal: ["sigma", "median"],
    empirical: ["file"],
  };
  for (const key of Object.keys(s)) {
    if (key !== "distribution" && !allowed[s.distribution].includes(key)) {
      fail(file, `${path}/${key}`, `not a parameter of the ${s.distribution} distribution (expected ${allowed[s.distribution].join(", ")})`);
    }
  }
  const need = (key: string) => {
    if (s[key] === undefined) fail(file, path, `missing required key "${key}" for the ${s.distribution} distribution`);
    return s[key];
  };
  const medianOrScale = (): { median?: number; scale?: number } => {
    if ((s.median === undefined) === (s.scale === undefined)) fail(file, path, 'expected exactly one of "median" and "scale"');
    const value = parseDuration(s.median ?? s.scale);
    if (value <= 0) fail(file, `${path}/${s.median !== undefined ? "median" : "scale"}`, "expected a duration greater than zero");
    return s.median !== undefined ? { median: value } : { scale: value };
  };
  switch (s.distribution) {
    case "exponential": {
      const median = parseDuration(need("median"));
      if (median <= 0) fail(file, `${path}/median`, "expected a duration greater than zero");
      return { type: "exponential", median };
    }
    case "weibull": {
      const k = need("k");
      const { median, scale } = medianOrScale();
      return scale !== undefined ? { type: "weibull", shape: k, scale } : weibullWithMedian(k, median as number);
    }
    case "pareto": {
      const alpha = need("alpha");
      const { median, scale } = medianOrScale();
      return scale !== undefined ? { type: "pareto", shape: alpha, scale } : paretoWithMedian(alpha, median as number);
    }
    case "lognormal": {
      const sigma = need("sigma");
      const median = parseDuration(need("median"));
      if (median <= 0) fail(file, `${path}/median`, "expected a duration greater than zero");
      return lognormalWithMedian(sigma, median);
    }
    case "empirical": {
      const samplesFile = resolve(base, need("file"));
      return { type: "empirical", samples: readSessionSamples(samplesFile) };
    }
    default:
      throw new Error(`unreachable distribution ${s.distribution}`);
  }
}

/** One session length in seconds per line (blank lines and lines starting with # ignored), returned in ms. */
function readSessionSamples(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the session-time file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const samples: number[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const value = Number(line);
    if (!Number.isFinite(value) || value <= 0) {
      throw new InputError(`${file}:${i + 1}`, `"${line}" is not a session length; expected a positive number of seconds`);
    }
    samples.push(value * 1000);
  });
  if (samples.length === 0) throw new InputError(file, "no session lengths found; expected one number of seconds per line");
  return samples;
}
