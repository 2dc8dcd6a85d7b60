import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { failAt as fail, InputError } from "./errors.js";
import { setAtPath } from "./json-path.js";
import { parseJsonText } from "./json-text.js";
import { forValidation } from "./protocol-schema.js";
import { resolveChurn } from "./resolve-churn.js";
import { resolveFault } from "./resolve-faults.js";
import { resolveStorage } from "./resolve-storage.js";
import type { LatencySpec, LinkOptions, ProtocolOptionsCheck, ProtocolTraits, Scenario, ScenarioOverrides } from "./scenario.js";
import { describeSchemaError, pickSchemaError } from "./schema-errors.js";
import { parseDuration, parseRate, parseSize } from "./units.js";

const schemaPath = resolve(dirname(fileURLToPath(import.meta.url)), "../../scenarios/schema.json");
let validator: ValidateFunction | undefined;

function validate(document: unknown): ErrorObject[] {
  if (validator === undefined) {
    const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: true, verbose: true, allowUnionTypes: true });
    validator = ajv.compile(forValidation(JSON.parse(readFileSync(schemaPath, "utf8"))));
  }
  return validator(document) ? [] : (validator.errors ?? []);
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const value = parseJsonText(text, file);
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
  const doc = withOverrides(input, overrides);
  const errors = validate(doc);
  if (errors.length > 0) {
    const { path, message } = describeSchemaError(pickSchemaError(errors));
    fail(file, path, message);
  }
  const base = dirname(resolve(file));
  const d = doc as any;
  const { durationMs, warmupMs, joinPhaseMs } = resolveTimes(d, file);
  const { protocol, traits } = resolveProtocol(d, file, checkProtocol);
  // Absent, the section stays absent from the document: scenario.json of runs without storage is unchanged.
  const storage = d.storage === undefined ? null : resolveStorage(d, file, protocol.name, traits);
  const start = resolveStart(d, file, protocol.name, traits, storage !== null);
  return {
    name: d.name,
    description: d.description,
    seed: d.seed,
    nodes: d.nodes,
    durationMs,
    warmupMs,
    joinPhaseMs,
    start,
    latency: resolveLatency(d.network.latency, file, base),
    accessDelayMs: parseDuration(d.network.accessDelay),
    links: resolveLinks(d.network),
    churn: resolveChurn(d.churn, file, base),
    workload: resolveWorkload(d.workload, file),
    protocol,
    storage,
    metrics: { windowMs: positiveDuration(d.metrics.window, file, "/metrics/window") },
    faults: (d.faults as any[]).map((f, i) => resolveFault(f, `/faults/${i}`, file, durationMs)),
    document: doc,
  };
}

/** A copy of the document with the command line's overrides applied (before validation, so they are checked too). */
function withOverrides(input: Record<string, unknown>, overrides: ScenarioOverrides): Record<string, unknown> {
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
  return doc;
}

function positiveDuration(text: string, file: string, path: string): number {
  const ms = parseDuration(text);
  if (ms <= 0) fail(file, path, "expected a duration greater than zero");
  return ms;
}

function resolveTimes(d: any, file: string): { durationMs: number; warmupMs: number; joinPhaseMs: number } {
  const durationMs = positiveDuration(d.duration, file, "/duration");
  const warmupMs = parseDuration(d.warmup);
  const joinPhaseMs = parseDuration(d.joinPhase);
  if (warmupMs >= durationMs) fail(file, "/warmup", `expected less than the duration (${d.duration}), or no lookup would count`);
  if (joinPhaseMs >= durationMs) fail(file, "/joinPhase", `expected less than the duration (${d.duration})`);
  return { durationMs, warmupMs, joinPhaseMs };
}

function resolveLatency(lat: any, file: string, base: string): LatencySpec {
  if (lat.model === "file") {
    if (lat.file === undefined) fail(file, "/network/latency", 'missing required key "file" for model "file"');
    return { model: "file", file: resolve(base, lat.file) };
  }
  if (lat.file !== undefined) fail(file, "/network/latency/file", 'only allowed with "model": "file"');
  return { model: "synthetic", hosts: lat.hosts };
}

function resolveLinks(network: any): LinkOptions {
  const rate = (text: string) => (text === "unlimited" ? 0 : parseRate(text));
  return {
    uplinkBps: rate(network.uplink),
    downlinkBps: rate(network.downlink),
    queueBytes: parseSize(network.queue),
    lossRate: network.loss,
    processingUs: network.processing === undefined ? 0 : Math.round(parseDuration(network.processing) * 1000),
  };
}

function resolveWorkload(w: any, file: string): Scenario["workload"] {
  const workload = {
    lookupIntervalMs: positiveDuration(w.lookupInterval, file, "/workload/lookupInterval"),
    lookupTimeoutMs: positiveDuration(w.lookupTimeout, file, "/workload/lookupTimeout"),
    probeIntervalMs: parseDuration(w.probeInterval),
    probeSize: w.probeSize,
    retry: w.retry === undefined ? null : resolveRetry(w.retry, file),
  };
  if (workload.probeSize > 0 && workload.probeIntervalMs <= 0) {
    fail(file, "/workload/probeInterval", "expected a duration greater than zero (or probeSize 0)");
  }
  return workload;
}

/**
 * `start`: absent means "join" (and stays absent from the document, so scenario.json of other runs is unchanged).
 * "converged" needs a protocol that can start from converged tables and an initial population to start.
 */
function resolveStart(d: any, file: string, protocol: string, traits: ProtocolTraits | undefined, storage: boolean): Scenario["start"] {
  if (d.start === undefined || d.start === "join") return "join";
  if (traits?.convergedStart !== true) fail(file, "/start", `protocol "${protocol}" cannot start from converged tables; expected "join"`);
  if (d.churn.process === "trace") fail(file, "/start", 'a trace brings its own arrivals and has no initial population to start converged; expected "join"');
  if (storage) fail(file, "/start", 'not offered with a storage section (the storage layer starts by joining); expected "join"');
  return "converged";
}

function resolveRetry(r: any, file: string): { everyMs: number; untilMs: number } {
  const everyMs = positiveDuration(r.every, file, "/workload/retry/every");
  return { everyMs, untilMs: parseDuration(r.until) };
}

/** Checks the protocol's own options (filling its defaults into the document, so scenario.json lists them). */
function resolveProtocol(
  d: any,
  file: string,
  checkProtocol: ProtocolOptionsCheck,
): { protocol: Scenario["protocol"]; traits: ProtocolTraits | undefined } {
  const { name, ...options } = d.protocol as { name: string } & Record<string, unknown>;
  let traits: ProtocolTraits | undefined;
  try {
    traits = checkProtocol(name, options) ?? undefined;
  } catch (e) {
    if (e instanceof InputError) fail(file, `/protocol${e.where === "/" ? "" : e.where}`, e.message.slice(e.where.length + 2));
    throw e;
  }
  d.protocol = { name, ...options };
  return { protocol: { name, options }, traits };
}
