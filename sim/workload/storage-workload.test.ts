import { describe, expect, it } from "vitest";
import { LiveSet } from "../churn/live-set.js";
import { Invariants } from "../engine/invariants.js";
import { Scheduler } from "../engine/scheduler.js";
import { SeededRandom } from "../engine/seeded-random.js";
import type { GetRecord, PutRecord } from "../metrics/storage-metrics.js";
import type { Id } from "../runtime/ids.js";
import { hashSecret, type StorageNode } from "../runtime/storage-layer.js";
import type { StorageWorkloadSpec } from "../scenario/storage-spec.js";
import { type StorageClient, StorageWorkload } from "./storage-workload.js";
import { ValueOracle } from "./value-oracle.js";

const SPEC: StorageWorkloadSpec = {
  putIntervalMs: 10_000,
  getIntervalMs: 10_000,
  removeFraction: 0.2,
  valuesPerKey: 3,
  ttlMs: { min: 60_000, max: 300_000 },
  valueBytes: { min: 32, max: 1024 },
  recentGetFraction: 0.5,
  recentMs: 120_000,
  timeoutMs: 5_000,
};

type Behaviour = "answer" | "fail" | "silent";

/**
 * A fake network of `n` clients sharing one exact store, answering 10 ms after each request: what a perfect
 * storage layer would say. It checks what the workload asks: secrets match, a remove's TTL covers the value's.
 */
function setup(options: { n?: number; seed?: string; spec?: Partial<StorageWorkloadSpec>; behaviour?: Behaviour } = {}) {
  const n = options.n ?? 20;
  const spec = { ...SPEC, ...options.spec };
  const scheduler = new Scheduler();
  const oracle = new ValueOracle(spec.timeoutMs);
  const store = new Map<Id, Map<number, { secretHash: number; expiresUs: number; size: number }>>();
  const puts: PutRecord[] = [];
  const gets: GetRecord[] = [];
  const recorder = { putEnded: (r: PutRecord) => puts.push(r), getEnded: (r: GetRecord) => gets.push(r), opsAbandoned: 0 };
  const joined = new LiveSet();
  const clients: { active: boolean; address: number; id: Id }[] = [];
  for (let a = 0; a < n; a++) {
    joined.add(a);
    clients.push({ active: true, address: a, id: a.toString(16).padStart(40, "0") });
  }
  const violations: string[] = [];
  const later = (f: () => void) => scheduler.after(10_000, f);
  const behaviour = options.behaviour ?? "answer";
  const node: StorageNode = {
    put(handle, key, value, ttlMs) {
      if (behaviour === "silent") return;
      if (behaviour === "fail") return void later(() => workload.putEnded(handle, "failed", 0, 3));
      if (value.size < spec.valueBytes.min || value.size > spec.valueBytes.max) violations.push(`size ${value.size}`);
      if (ttlMs < spec.ttlMs.min || ttlMs > spec.ttlMs.max) violations.push(`ttl ${ttlMs}`);
      let values = store.get(key);
      if (values === undefined) store.set(key, (values = new Map()));
      values.set(value.valueHash, { secretHash: value.secretHash, expiresUs: scheduler.nowUs + ttlMs * 1000, size: value.size });
      oracle.held(key, value.valueHash, false, 1);
      later(() => workload.putEnded(handle, "ok", 2, 1));
    },
    remove(handle, key, valueHash, secret, ttlMs) {
      if (behaviour !== "answer") return;
      const v = store.get(key)?.get(valueHash);
      if (v === undefined) violations.push("remove of a value not stored");
      else {
        if (hashSecret(secret) !== v.secretHash) violations.push("wrong secret");
        if (scheduler.nowUs + ttlMs * 1000 < v.expiresUs) violations.push("tombstone shorter than the value");
        // A replica takes the tombstone in place of the value, before the client hears of it.
        store.get(key)?.delete(valueHash);
        oracle.held(key, valueHash, true, 1);
        oracle.held(key, valueHash, false, -1);
      }
      later(() => workload.putEnded(handle, "ok", 2, 1));
    },
    get(handle, key) {
      if (behaviour === "silent") return;
      if (behaviour === "fail") return void later(() => workload.getEnded(handle, null, 1, 3));
      const now = scheduler.nowUs;
      const found = [...(store.get(key) ?? new Map()).entries()].filter(([, v]) => v.expiresUs > now).map(([h]) => h);
      later(() => workload.getEnded(handle, found, 3, 1));
    },
    receive() {},
    storedBytes: 0,
    disk: { forEachTuple() {} },
  };
  const host = {
    joined,
    storage: () => node,
    runtime: (address: number): StorageClient => clients[address],
  };
  const workload = new StorageWorkload(spec, host, oracle, scheduler, SeededRandom.root(options.seed ?? "s").fork("storage"), recorder, new Invariants(true, 1));
  return { workload, scheduler, oracle, puts, gets, recorder, clients, joined, violations };
}

const MIN = 60_000_000;

describe("the storage workload", () => {
  it("puts, removes and gets against a perfect store: every put ok, every get complete", () => {
    const t = setup();
    t.workload.start(0, 20 * 60_000);
    t.scheduler.runUntil(30 * MIN);
    expect(t.workload.pendingOps).toBe(0);
    expect(t.violations).toEqual([]);
    const removes = t.puts.filter((r) => r.op === "remove");
    // 20 nodes, one put (or remove) per 10 s each, for 20 minutes: 2400 on average.
    expect(t.puts.length).toBeGreaterThan(2000);
    expect(t.puts.length).toBeLessThan(2800);
    expect(removes.length).toBeGreaterThan(200);
    expect(t.puts.every((r) => r.status === "ok" && Math.abs(r.endMs - r.startMs - 10) < 1e-6 && r.acks === 2 && r.attempts === 1)).toBe(true);
    expect(removes.every((r) => r.valueBytes === 0)).toBe(true);
    expect(t.gets.length).toBeGreaterThan(2000);
    expect(t.gets.every((r) => r.status === "complete" && r.missing === 0 && r.stale === 0)).toBe(true);
    // Gets find values: keys are reused and recently put keys asked for.
    expect(t.gets.filter((r) => r.expected > 0).length).toBeGreaterThan(t.gets.length / 2);
    expect(new Set(t.puts.filter((r) => r.op === "put").map((r) => r.key)).size).toBeLessThan(t.puts.length * 0.9);
    expect(t.oracle.stats(30 * MIN).valuesLost).toBe(0);
  });

  it("no put or get starts after the stop, and those under way run to their end", () => {
    const t = setup();
    t.workload.start(60_000, 5 * 60_000);
    t.scheduler.runUntil(5 * MIN);
    expect(t.workload.pendingOps).toBeGreaterThanOrEqual(0);
    t.scheduler.runUntil(6 * MIN);
    expect(t.workload.pendingOps).toBe(0);
    const starts = [...t.puts, ...t.gets].map((r) => r.startMs);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...starts)).toBeLessThan(5 * 60_000);
  });

  it("times out what gets no answer, exactly at the timeout", () => {
    const t = setup({ behaviour: "silent" });
    t.workload.start(0, 60_000);
    t.scheduler.runUntil(2 * MIN);
    expect(t.workload.pendingOps).toBe(0);
    expect(t.puts.length).toBeGreaterThan(50);
    expect(t.puts.every((r) => r.status === "timeout" && Math.abs(r.endMs - r.startMs - 5000) < 1e-6 && r.acks === null)).toBe(true);
    expect(t.gets.every((r) => r.status === "timeout" && Math.abs(r.endMs - r.startMs - 5000) < 1e-6)).toBe(true);
  });

  it("records failures as the layer reports them, and never removes a value whose put failed", () => {
    const t = setup({ behaviour: "fail" });
    t.workload.start(0, 5 * 60_000);
    t.scheduler.runUntil(10 * MIN);
    expect(t.puts.every((r) => r.op === "put" && r.status === "failed" && r.attempts === 3)).toBe(true);
    expect(t.gets.length).toBeGreaterThan(0);
    expect(t.gets.every((r) => r.status === "failed")).toBe(true);
  });

  it("counts an operation whose client departed as abandoned, not recorded", () => {
    const t = setup({ behaviour: "silent", n: 5 });
    t.workload.start(0, 60_000);
    t.scheduler.runUntil(30_000_000);
    const started = t.workload.pendingOps;
    expect(started).toBeGreaterThan(0);
    for (const c of t.clients) c.active = false;
    for (let a = 0; a < 5; a++) t.joined.remove(a);
    t.scheduler.runUntil(2 * MIN);
    expect(t.workload.pendingOps).toBe(0);
    expect(t.recorder.opsAbandoned).toBeGreaterThanOrEqual(started);
    expect(t.puts.every((r) => r.startMs < 30_000 - 5000 || r.endMs <= 30_000)).toBe(true);
  });

  it("draws the same operations from the same seed, and others from another", () => {
    const ops = (seed: string) => {
      const t = setup({ seed });
      t.workload.start(0, 5 * 60_000);
      t.scheduler.runUntil(10 * MIN);
      return JSON.stringify([t.puts, t.gets]);
    };
    expect(ops("a")).toBe(ops("a"));
    expect(ops("a")).not.toBe(ops("b"));
  });

  it("keeps the values under a reused key below valuesPerKey", () => {
    const t = setup({ spec: { valuesPerKey: 2, removeFraction: 0, ttlMs: { min: 3_600_000, max: 3_600_000 } } });
    t.workload.start(0, 10 * 60_000);
    t.scheduler.runUntil(20 * MIN);
    const perKey = new Map<Id, number>();
    for (const r of t.puts) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBe(2);
    expect([...perKey.values()].filter((c) => c === 2).length).toBeGreaterThan(100);
  });
});
