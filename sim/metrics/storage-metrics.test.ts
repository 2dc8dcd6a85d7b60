import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Traffic } from "../network/traffic.js";
import type { ValueStats } from "../workload/value-oracle.js";
import { RunMetrics, TIMESERIES_COLUMNS } from "./metrics.js";
import { type GetRecord, type PutRecord, STORAGE_TIMESERIES_COLUMNS, StorageMetrics } from "./storage-metrics.js";
import { metricValues } from "./registry.js";

const dir = () => mkdtempSync(join(tmpdir(), "churnsim-storage-metrics-"));
const K = "b".repeat(40);
const put = (startMs: number, status: PutRecord["status"], op: PutRecord["op"] = "put"): PutRecord => ({
  startMs, endMs: startMs + 40, source: K, key: K, valueHash: 7, op, ttlMs: 3_600_000, valueBytes: op === "put" ? 100 : 0, status,
  acks: status === "timeout" ? null : 2, attempts: status === "timeout" ? null : 1,
});
const get = (startMs: number, status: GetRecord["status"], attempts: number | null = 1): GetRecord => ({
  startMs, endMs: startMs + 80, source: K, key: K, status, expected: 2, returned: status === "complete" ? 2 : 1,
  missing: status === "partial" ? 1 : 0, stale: status === "stale" ? 1 : 0, replicasContacted: 3, attempts,
});
const values: ValueStats = { valuesStored: 10, replicasMean: 7.5, replicasMin: 4, valuesUnavailable: 1, valuesLost: 2, valuesAcked: 40 };

describe("storage metrics", () => {
  it("writes puts.csv and gets.csv, and a summary of the operations started after warm-up", () => {
    const d = dir();
    const traffic = new Traffic();
    const m = new StorageMetrics(d, traffic, 1000, 10_000);
    m.putEnded(put(500, "ok"));
    m.putEnded(put(2000, "ok"));
    m.putEnded(put(3000, "timeout"));
    m.putEnded(put(4000, "ok", "remove"));
    m.getEnded(get(500, "partial"));
    m.getEnded(get(2000, "complete"));
    m.getEnded(get(2500, "complete", 2));
    m.getEnded(get(3000, "stale"));
    m.getEnded(get(3500, "timeout", null));
    m.windowClosed(10_000, 5000, values);
    traffic.collecting = true;
    traffic.countSent(traffic.category("replicate"), 3000);
    traffic.countSent(traffic.category("sync"), 1000);
    traffic.countSent(traffic.category("put"), 50_000);
    const s = m.summary(100);
    m.close();
    expect(s).toMatchObject({
      puts: 2, put_ok_fraction: 0.5, put_latency_ms: { p50: 40, p99: 40 }, removes: 1, remove_ok_fraction: 1,
      gets: 4, get_complete_fraction: 0.5, get_first_try_fraction: 0.25, get_latency_ms: { p50: 80 }, gets_stale: 1,
      values_lost: 2, values_lost_fraction: 0.05, data_maintenance_bytes_per_node_s: 40,
    });
    const puts = readFileSync(join(d, "puts.csv"), "utf8").trim().split("\n");
    expect(puts[0]).toBe("start_ms,end_ms,source,key,value_hash,op,ttl_s,value_bytes,status,acks,attempts,latency_ms");
    expect(puts[3]).toBe(`3000,3040,${K},${K},7,put,3600,100,timeout,,,40`);
    const gets = readFileSync(join(d, "gets.csv"), "utf8").trim().split("\n");
    expect(gets[0]).toBe("start_ms,end_ms,source,key,status,values_expected,values_returned,values_missing,values_stale,replicas_contacted,attempts,latency_ms");
    expect(gets[1]).toBe(`500,580,${K},${K},partial,2,1,1,0,3,1,80`);
  });

  it("adds its columns to timeseries.csv and its block to summary.json only when there is storage", () => {
    const plainDir = dir();
    const plain = new RunMetrics(plainDir, new Traffic(), 0, 60_000, "p");
    plain.closeWindow(60_000, 0);
    const plainSummary = plain.summary(0);
    plain.close();
    expect(readFileSync(join(plainDir, "timeseries.csv"), "utf8").split("\n")[0]).toBe(TIMESERIES_COLUMNS.join(","));
    expect("storage" in plainSummary).toBe(false);
    expect(metricValues(plainSummary).filter((m) => m.name.startsWith("get_")).every((m) => m.value === null)).toBe(true);

    const d = dir();
    const traffic = new Traffic();
    const run = new RunMetrics(d, traffic, 0, 60_000, "p", new StorageMetrics(d, traffic, 0, 60_000));
    run.nodeArrived(0);
    expect(() => run.closeWindow(30_000, 1)).toThrow(/storage layer/);
    run.closeWindow(60_000, 1, { storedBytesPerNode: 1234.5, values });
    run.storage?.getEnded(get(100, "complete"));
    const s = run.summary(0);
    run.close();
    const lines = readFileSync(join(d, "timeseries.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe([...TIMESERIES_COLUMNS, ...STORAGE_TIMESERIES_COLUMNS].join(","));
    expect(lines[1].endsWith(",10,7.5,4,1234.5,1,2")).toBe(true);
    expect(s.storage?.get_complete_fraction).toBe(1);
    expect(metricValues(s).find((m) => m.name === "get_complete_fraction")?.value).toBe(1);
  });

  it("averages stored bytes per node over the windows after warm-up, and gives the Blake–Rodrigues bound 2(S/N)/T", () => {
    const m = new StorageMetrics(dir(), new Traffic(), 60_000, 240_000);
    m.windowClosed(60_000, 9999, values); // closes at the end of warm-up: not counted
    m.windowClosed(120_000, 1000, values);
    m.windowClosed(180_000, 2000, values);
    m.windowClosed(240_000, 3000, values);
    const s = m.summary(100, 400);
    m.close();
    expect(s.stored_bytes_per_node_mean).toBe(2000);
    expect(s.blake_rodrigues_bytes_per_node_s).toBe(10);
    // Without a measured session time there is no bound; without a window after warm-up, no S/N.
    expect(m.summary(100, null).blake_rodrigues_bytes_per_node_s).toBeNull();
    const early = new StorageMetrics(dir(), new Traffic(), 60_000, 240_000);
    expect(early.summary(100, 400)).toMatchObject({ stored_bytes_per_node_mean: null, blake_rodrigues_bytes_per_node_s: null });
    early.close();
  });

  it("counts put and get traffic as workload, not maintenance", () => {
    const traffic = new Traffic();
    const run = new RunMetrics(dir(), traffic, 0, 1000, "p");
    traffic.collecting = true;
    traffic.countSent(traffic.category("leafset"), 1000);
    traffic.countSent(traffic.category("lookup"), 500);
    traffic.countSent(traffic.category("put"), 300);
    traffic.countSent(traffic.category("get"), 200);
    run.nodeArrived(0);
    run.closeWindow(1000, 1);
    const s = run.summary(0);
    run.close();
    expect(s.maintenance_bytes_per_node_s).toBe(1000);
    expect(s.total_bytes_per_node_s).toBe(2000);
  });
});
