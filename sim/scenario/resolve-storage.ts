import type { Replication } from "../runtime/storage-layer.js";
import { failAt as fail } from "./errors.js";
import type { ProtocolTraits } from "./scenario.js";
import type { StorageSpec, StorageWorkloadSpec } from "./storage-spec.js";
import { parseDuration, parseSize } from "./units.js";

/**
 * Defaults that depend on the replication, from the systems each models: Bamboo/OpenDHT (root + 7 leaf-set
 * neighbours, ae_period 1 s), DHash (5 replicas, merkle.replica_timer 5 min in 2004, global maintenance 60 s)
 * and OverSim's push replication (numReplica 4).
 */
const BY_REPLICATION: Record<Replication, { replicas: number; maintenance: string; handoff: string }> = {
  bamboo: { replicas: 8, maintenance: "1s", handoff: "5s" },
  dhash: { replicas: 5, maintenance: "5m", handoff: "60s" },
  push: { replicas: 4, maintenance: "1s", handoff: "5s" },
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
    maxTtl: s.maxTtl,
    maxValueSize: s.maxValueSize,
    workload: w,
  };
  d.storage = section;
  const maxTtlMs = positive(section.maxTtl, parseDuration, file, "/storage/maxTtl", "a duration");
  const maxValueBytes = positive(section.maxValueSize, parseSize, file, "/storage/maxValueSize", "a size");
  return {
    replication,
    replicas,
    requiredAcks: section.requiredAcks,
    maintenanceMs: positive(section.maintenance, parseDuration, file, "/storage/maintenance", "a duration"),
    handoffMs: positive(section.handoff, parseDuration, file, "/storage/handoff", "a duration"),
    carbonite: section.carbonite,
    retryMs: positive(section.retry, parseDuration, file, "/storage/retry", "a duration"),
    maxTtlMs,
    maxValueBytes,
    workload: resolveStorageWorkload(w, file, { ms: maxTtlMs, text: section.maxTtl }, { bytes: maxValueBytes, text: section.maxValueSize }),
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
