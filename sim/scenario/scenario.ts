import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { type DistributionSpec, lognormalWithMedian, paretoWithMedian, weibullWithMedian } from "../churn/distributions.js";
import type { LinkOptions } from "../network/network.js";
import { InputError } from "./errors.js";
import { setAtPath } from "./json-path.js";
import { PRESETS, type PresetName, presetDistribution } from "./session-presets.js";
import { parseDuration, parseRate, parseSize } from "./units.js";

export type LatencySpec = { model: "synthetic"; hosts: number } | { model: "file"; file: string };

export type ChurnSpec =
  | { process: "none" }
  | { process: "replacement"; tMedMs: number }
  | { process: "lifetime"; sessions: DistributionSpec; downtime: DistributionSpec | null }
  | { process: "trace"; file: string; format: "csv" | "p2psim" };

/** Faults injected on purpose (times in ms, rates in bits/s). */
export type Fault =
  | { type: "partition"; atMs: number; untilMs: number; fraction: number }
  | { type: "mass-failure"; atMs: number; fraction: number; replaceAfterMs: number | null }
  | { type: "loss"; atMs: number; untilMs: number; rate: number }
  | { type: "slowdown"; atMs: number; untilMs: number; fraction: number; uplinkBps: number };

/** A scenario after validation: defaults filled, units converted to ms, bits/s and bytes, paths resolved. */
export interface Scenario {
  name: string;
  description: string;
  seed: number;
  nodes: number;
  durationMs: number;
  warmupMs: number;
  joinPhaseMs: number;
  latency: LatencySpec;
  accessDelayMs: number;
  links: LinkOptions;
  churn: ChurnSpec;
  workload: { lookupIntervalMs: number; lookupTimeoutMs: number; probeIntervalMs: number; probeSize: number };
  protocol: { name: string; options: Record<string, unknown> };
  metrics: { windowMs: number };
  faults: Fault[];
  /** The scenario as JSON with every default written out: what `scenario.json` records and can be re-run. */
  document: Record<string, unknown>;
}

/** Validates a protocol's options (the `protocol` object without `name`), filling its defaults in place. */
export type ProtocolOptionsCheck = (name: string, options: Record<string, unknown>) => void;

export interface ScenarioOverrides {
  seed?: number;
  nodes?: number;
  duration?: string;
  /** Dotted-path assignments applied before validation, e.g. ["churn.tMed", "23m"]. */
  set?: { path: string; value: unknown }[];
}

const schemaPath = resolve(dirname(fileURLToPath(import.meta.url)), "../../scenarios/schema.json");
let validator: ValidateFunction | undefined;

function validate(document: unknown): ErrorObject[] {
  if (validator === undefined) {
    const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  }
  return validator(document) ? [] : (validator.errors ?? []);
}

/** One line naming the JSON path and what was expected, from the first (most specific) schema error. */
export function describeSchemaError(error: ErrorObject): { path: string; message: string } {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const where = error.schemaPath;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: `${error.instancePath}/${error.params.additionalProperty}`, message: "unknown key" };
    case "required":
      return { path, message: `missing required key "${error.params.missingProperty}"` };
    case "enum":
      return { path, message: `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "format":
    case "pattern":
    case "anyOf":
    case "const":
      if (where.includes("/duration") || error.params.format === "duration") return { path, message: 'expected a duration such as "500ms", "90s", "23m" or "1.4h"' };
      if (where.includes("/rate")) return { path, message: 'expected a bit rate such as "1Mbps", "256kbps" or "unlimited"' };
      if (where.includes("/size")) return { path, message: 'expected a byte size such as "64KB" or "1MB"' };
      return { path, message: error.message ?? "invalid value" };
    default:
      return { path, message: `expected a value that ${error.message ?? "matches the schema"}` };
  }
}

function fail(file: string, path: string, message: string): never {
  throw new InputError(`${file}: ${path}`, message);
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: /`, "expected a JSON object");
  }
  return value as Record<string, unknown>;
}

export function loadScenario(file: string, overrides: ScenarioOverrides, checkProtocol: ProtocolOptionsCheck): Scenario {
  return parseScenario(readJson(file), file, overrides, checkProtocol);
}

/** Validate and resolve a scenario document; `file` names it in errors and anchors its relative paths. */
export function parseScenario(
  input: Record<string, unknown>,
  file: string,
  overrides: ScenarioOverrides,
  checkProtocol: ProtocolOptionsCheck,
): Scenario {
  const doc = structuredClone(input);
  if (overrides.seed !== undefined) doc.seed = overrides.seed;
  if (overrides.nodes !== undefined) doc.nodes = overrides.nodes;
  if (overrides.duration !== undefined) doc.duration = overrides.duration;
  for (const { path, value } of overrides.set ?? []) {
    try {
      setAtPath(doc, path, value);
    } catch (e) {
      throw new InputError(`--set ${path}`, (e as Error).message);
    }
  }
  const errors = validate(doc);
  if (errors.length > 0) {
    const { path, message } = describeSchemaError(errors[0]);
    fail(file, path, message);
  }
  const base = dirname(resolve(file));
  const d = doc as any;

  const durationMs = parseDuration(d.duration);
  const warmupMs = parseDuration(d.warmup);
  const joinPhaseMs = parseDuration(d.joinPhase);
  if (durationMs <= 0) fail(file, "/duration", "expected a duration greater than zero");
  if (warmupMs >= durationMs) fail(file, "/warmup", `expected less than the duration (${d.duration}), or no lookup would count`);
  if (joinPhaseMs >= durationMs) fail(file, "/joinPhase", `expected less than the duration (${d.duration})`);

  const lat = d.network.latency;
  let latency: LatencySpec;
  if (lat.model === "file") {
    if (lat.file === undefined) fail(file, "/network/latency", 'missing required key "file" for model "file"');
    latency = { model: "file", file: resolve(base, lat.file) };
  } else {
    if (lat.file !== undefined) fail(file, "/network/latency/file", 'only allowed with "model": "file"');
    latency = { model: "synthetic", hosts: lat.hosts };
  }

  const rate = (text: string) => (text === "unlimited" ? 0 : parseRate(text));
  const links: LinkOptions = {
    uplinkBps: rate(d.network.uplink),
    downlinkBps: rate(d.network.downlink),
    queueBytes: parseSize(d.network.queue),
    lossRate: d.network.loss,
  };

  const workload = {
    lookupIntervalMs: parseDuration(d.workload.lookupInterval),
    lookupTimeoutMs: parseDuration(d.workload.lookupTimeout),
    probeIntervalMs: parseDuration(d.workload.probeInterval),
    probeSize: d.workload.probeSize,
  };
  if (workload.lookupIntervalMs <= 0) fail(file, "/workload/lookupInterval", "expected a duration greater than zero");
  if (workload.lookupTimeoutMs <= 0) fail(file, "/workload/lookupTimeout", "expected a duration greater than zero");
  if (workload.probeSize > 0 && workload.probeIntervalMs <= 0) {
    fail(file, "/workload/probeInterval", "expected a duration greater than zero (or probeSize 0)");
  }

  const windowMs = parseDuration(d.metrics.window);
  if (windowMs <= 0) fail(file, "/metrics/window", "expected a duration greater than zero");

  const { name: protocolName, ...protocolOptions } = d.protocol as { name: string } & Record<string, unknown>;
  try {
    checkProtocol(protocolName, protocolOptions);
  } catch (e) {
    if (e instanceof InputError) fail(file, `/protocol${e.where === "/" ? "" : e.where}`, e.message.slice(e.where.length + 2));
    throw e;
  }
  d.protocol = { name: protocolName, ...protocolOptions };

  return {
    name: d.name,
    description: d.description,
    seed: d.seed,
    nodes: d.nodes,
    durationMs,
    warmupMs,
    joinPhaseMs,
    latency,
    accessDelayMs: parseDuration(d.network.accessDelay),
    links,
    churn: resolveChurn(d.churn, file, base),
    workload,
    protocol: { name: protocolName, options: protocolOptions },
    metrics: { windowMs },
    faults: (d.faults as any[]).map((f, i) => resolveFault(f, `/faults/${i}`, file, durationMs)),
    document: doc,
  };
}

function resolveChurn(c: any, file: string, base: string): ChurnSpec {
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

function resolveFault(f: any, path: string, file: string, durationMs: number): Fault {
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
