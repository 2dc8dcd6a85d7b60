import type { GetMode, Replication } from "../runtime/storage-layer.js";
import { failAt as fail } from "./errors.js";
import type { ProtocolTraits } from "./scenario.js";
import type { AdmissionSpec, ClientGroupSpec, ClientsSpec, RedirSpec, StorageSpec, StorageWorkloadSpec } from "./storage-spec.js";
import { parseDuration, parseSize } from "./units.js";

/**
 * Defaults that depend on the replication, from the systems each models: Bamboo/OpenDHT (root + 7 leaf-set
 * neighbours, ae_period 1 s), DHash (5 replicas, merkle.replica_timer 5 min in 2004, global maintenance 60 s)
 * and OverSim's push replication (numReplica 4).
 */
const BY_REPLICATION: Record<Replication, { replicas: number; maintenance: string; handoff: string; getMode: GetMode }> = {
  bamboo: { replicas: 8, maintenance: "1s", handoff: "5s", getMode: "quorumSync" },
  dhash: { replicas: 5, maintenance: "5m", handoff: "60s", getMode: "successors" },
  push: { replicas: 4, maintenance: "1s", handoff: "5s", getMode: "successors" },
};

/**
 * The `storage` section after the schema (which filled the fixed defaults): fills the defaults that depend on the
 * replication and rewrites the section in a fixed key order, so scenario.json records every value. `protocol` is
 * what the protocol check returned (undefined when it returned nothing: treated as offering no key-based routing).
 */
export function resolveStorage(d: any, file: string, protocolName: string, protocol: ProtocolTraits | undefined): StorageSpec {
  const s = d.storage;
  const replication = s.replication as Replication;
  const byReplication = BY_REPLICATION[replication];
  if (protocol?.keyBasedRouting !== true) {
    fail(file, "/storage", `the protocol "${protocolName}" offers no key-based routing, which the storage layer runs on; expected a protocol that does, or no storage section`);
  }
  if (replication === "dhash" && protocolName !== "chord") {
    fail(file, "/storage/replication", `"dhash" runs on Chord; expected "bamboo" or "push" with protocol "${protocolName}"`);
  }
  if (s.carbonite === true && replication !== "dhash") fail(file, "/storage/carbonite", 'Carbonite is a rule of DHash; expected false, or "replication": "dhash"');
  const replicas: number = s.replicas ?? byReplication.replicas;
  const requiredAcks: number = s.requiredAcks ?? Math.min(2, replicas - 1);
  if (replication === "bamboo" && requiredAcks > replicas - 1) {
    fail(file, "/storage/requiredAcks", `expected at most replicas − 1 (${replicas - 1}): the root waits for acks from the other replicas`);
  }
  const w = s.workload;
  // The written section, every value resolved, in the schema's key order.
  const section = {
    replication,
    replicas,
    requiredAcks,
    maintenance: s.maintenance ?? byReplication.maintenance,
    handoff: s.handoff ?? byReplication.handoff,
    carbonite: s.carbonite,
    retry: s.retry,
    getMode: (s.getMode ?? byReplication.getMode) as GetMode,
    maxTtl: s.maxTtl,
    maxValueSize: s.maxValueSize,
    // Absent, they stay absent: scenario.json of runs without them is unchanged.
    ...(s.admission === undefined ? {} : { admission: s.admission }),
    ...(s.clients === undefined ? {} : { clients: s.clients }),
    ...(s.redir === undefined ? {} : { redir: s.redir }),
    workload: w,
  };
  d.storage = section;
  const maxTtlMs = positive(section.maxTtl, parseDuration, file, "/storage/maxTtl", "a duration");
  const maxValueBytes = positive(section.maxValueSize, parseSize, file, "/storage/maxValueSize", "a size");
  const maxTtl = { ms: maxTtlMs, text: section.maxTtl };
  const maxValueSize = { bytes: maxValueBytes, text: section.maxValueSize };
  return {
    replication,
    replicas,
    requiredAcks: section.requiredAcks,
    maintenanceMs: positive(section.maintenance, parseDuration, file, "/storage/maintenance", "a duration"),
    handoffMs: positive(section.handoff, parseDuration, file, "/storage/handoff", "a duration"),
    carbonite: section.carbonite,
    retryMs: positive(section.retry, parseDuration, file, "/storage/retry", "a duration"),
    getMode: section.getMode,
    maxTtlMs,
    maxValueBytes,
    workload: resolveStorageWorkload(w, file, maxTtl, maxValueSize),
    admission: s.admission === undefined ? null : resolveAdmission(s.admission, file, replication),
    clients: s.clients === undefined ? (s.redir === undefined ? null : APPLICATION_CLIENTS) : resolveClients(s.clients, file, maxTtl, maxValueSize),
    redir: s.redir === undefined ? null : resolveRedir(s.redir, file, maxTtl),
  };
}

/** The client settings an application's clients get when the scenario has no `clients` section: the schema's. */
const APPLICATION_CLIENTS: ClientsSpec = { groups: [], gateway: "nearest", gatewayTimeoutMs: 30_000, againDelayMs: 1000, attempts: 3 };

function resolveRedir(r: any, file: string, maxTtl: { ms: number; text: string }): RedirSpec {
  const at = "/storage/redir";
  const ttlMs = positive(r.ttl, parseDuration, file, `${at}/ttl`, "a duration");
  if (ttlMs > maxTtl.ms) fail(file, `${at}/ttl`, `expected at most storage.maxTtl (${maxTtl.text})`);
  return {
    members: r.members,
    sessionMeanMs: positive(r.session, parseDuration, file, `${at}/session`, "a duration"),
    ttlMs,
    levels: r.levels,
    branching: r.branching,
    variant: r.variant,
    startLevel: r.startLevel,
    lookupIntervalMs: positive(r.lookupInterval, parseDuration, file, `${at}/lookupInterval`, "a duration"),
  };
}

const SPACE_TIME = new Set(["fairSpaceTime", "noQueuing"]);
const QUEUEING = new Set(["fairSpaceTime", "noQueuing", "random", "fairRate", "fairStorage", "fairCommitment"]);

/**
 * The `admission` section, its defaults filled in place (so scenario.json records them): `rate` only for the
 * algorithms that use it (1KB for the space-time ones, as OpenDHT's 2004 simulator; 2KB for openDht, Bamboo's),
 * `period` only for the queueing ones (1s).
 */
function resolveAdmission(a: any, file: string, replication: Replication): AdmissionSpec {
  const at = "/storage/admission";
  const algorithm = a.algorithm as AdmissionSpec["algorithm"];
  if (algorithm !== "none" && replication !== "bamboo") {
    fail(file, `${at}/algorithm`, `admission control runs at the root of Bamboo's store (OpenDHT); expected "none", or "replication": "bamboo"`);
  }
  const usesRate = SPACE_TIME.has(algorithm) || algorithm === "openDht";
  if (!usesRate && a.rate !== undefined) fail(file, `${at}/rate`, `"${algorithm}" takes no rate; expected it only with openDht, fairSpaceTime or noQueuing`);
  if (!QUEUEING.has(algorithm) && a.period !== undefined) fail(file, `${at}/period`, `"${algorithm}" decides each put on arrival; expected a period only with a queueing algorithm`);
  if (usesRate) a.rate ??= algorithm === "openDht" ? "2KB" : "1KB";
  if (QUEUEING.has(algorithm)) a.period ??= "1s";
  return {
    algorithm,
    rateBytesPerS: a.rate === undefined ? 0 : positive(a.rate, parseSize, file, `${at}/rate`, "a size (bytes per second)"),
    periodMs: a.period === undefined ? 0 : positive(a.period, parseDuration, file, `${at}/period`, "a duration"),
  };
}

function resolveClients(c: any, file: string, maxTtl: { ms: number; text: string }, maxValueSize: { bytes: number; text: string }): ClientsSpec {
  const at = "/storage/clients";
  const names = new Set<string>();
  const groups = (c.groups as any[]).map((g, i): ClientGroupSpec => {
    const path = `${at}/groups/${i}`;
    if (names.has(g.name)) fail(file, `${path}/name`, `"${g.name}" names an earlier group too; expected a name of its own`);
    names.add(g.name);
    const ttlMs = range(g.ttl, parseDuration, file, `${path}/ttl`, "a duration");
    if (ttlMs.max > maxTtl.ms) fail(file, `${path}/ttl`, `expected at most storage.maxTtl (${maxTtl.text})`);
    const valueBytes = range(g.valueSize, parseSize, file, `${path}/valueSize`, "a size");
    if (valueBytes.max > maxValueSize.bytes) fail(file, `${path}/valueSize`, `expected at most storage.maxValueSize (${maxValueSize.text})`);
    return {
      name: g.name,
      count: g.count,
      putIntervalMs: positive(g.putInterval, parseDuration, file, `${path}/putInterval`, "a duration"),
      getIntervalMs: g.getInterval === undefined ? 0 : positive(g.getInterval, parseDuration, file, `${path}/getInterval`, "a duration"),
      ttlMs,
      valueBytes: { min: Math.round(valueBytes.min), max: Math.round(valueBytes.max) },
    };
  });
  return {
    groups,
    gateway: c.gateway,
    gatewayTimeoutMs: positive(c.gatewayTimeout, parseDuration, file, `${at}/gatewayTimeout`, "a duration"),
    againDelayMs: positive(c.againDelay, parseDuration, file, `${at}/againDelay`, "a duration"),
    attempts: c.attempts,
  };
}

function resolveStorageWorkload(
  w: any,
  file: string,
  maxTtl: { ms: number; text: string },
  maxValueSize: { bytes: number; text: string },
): StorageWorkloadSpec {
  const at = "/storage/workload";
  const ttlMs = range(w.ttl, parseDuration, file, `${at}/ttl`, "a duration");
  if (ttlMs.max > maxTtl.ms) fail(file, `${at}/ttl`, `expected at most maxTtl (${maxTtl.text})`);
  const valueBytes = range(w.valueSize, parseSize, file, `${at}/valueSize`, "a size");
  if (valueBytes.max > maxValueSize.bytes) fail(file, `${at}/valueSize`, `expected at most maxValueSize (${maxValueSize.text})`);
  return {
    putIntervalMs: positive(w.putInterval, parseDuration, file, `${at}/putInterval`, "a duration"),
    getIntervalMs: positive(w.getInterval, parseDuration, file, `${at}/getInterval`, "a duration"),
    removeFraction: w.removeFraction,
    valuesPerKey: w.valuesPerKey,
    ttlMs,
    valueBytes: { min: Math.round(valueBytes.min), max: Math.round(valueBytes.max) },
    recentGetFraction: w.recentGetFraction,
    recentMs: parseDuration(w.recent),
    timeoutMs: positive(w.timeout, parseDuration, file, `${at}/timeout`, "a duration"),
  };
}

function positive(text: string, parse: (t: string) => number, file: string, path: string, what: string): number {
  const value = parse(text);
  if (value <= 0) fail(file, path, `expected ${what} greater than zero`);
  return value;
}

/** A quantity or a {min, max} range of them (the schema has checked the shape). */
function range(value: string | { min: string; max: string }, parse: (t: string) => number, file: string, path: string, what: string) {
  if (typeof value === "string") {
    const x = positive(value, parse, file, path, what);
    return { min: x, max: x };
  }
  const min = positive(value.min, parse, file, `${path}/min`, what);
  const max = positive(value.max, parse, file, `${path}/max`, what);
  if (min > max) fail(file, `${path}/min`, `expected at most max (${value.max})`);
  return { min, max };
}
