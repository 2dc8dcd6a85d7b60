import type { AdmissionControl, AlgorithmName, Put, Reply, Verdict } from "../../../service/admission/admission-control.js";
import { type AlgorithmOptions, createAdmission } from "../../../service/admission/algorithms.js";
import { type ClientContext, SimulatedClient } from "./client-models.js";
import { jainOfTargets, relativeDeviations } from "../../../service/admission/fairness.js";
import { MinHeap } from "../../../service/admission/min-heap.js";
import { SeededRandom } from "../../engine/seeded-random.js";
import { spaceTimeLimits, spaceTimeOf } from "../../../service/admission/space-time-limits.js";
import { StoredPuts } from "../../../service/admission/stored-puts.js";
import type { TestSetup } from "./test-setups.js";
import { maxMinShares } from "../../../service/admission/water-filling.js";

/** One row of clients.csv: a client's state at a sample time. Counts are cumulative replies. */
export interface ClientRow {
  readonly time_s: number;
  readonly client: string;
  readonly stored_bytes: number;
  readonly accepted: number;
  readonly again: number;
  readonly cap: number;
  /** Puts accepted per second since the previous sample. */
  readonly accepted_per_s: number;
  /** Integral of stored bytes over time so far. */
  readonly space_time_byte_s: number;
}

export const CLIENT_COLUMNS: ReadonlyArray<keyof ClientRow> = ["time_s", "client", "stored_bytes", "accepted", "again", "cap", "accepted_per_s", "space_time_byte_s"];

/** A client over the measured window, against its max-min targets. */
export interface ClientSummary {
  readonly client: string;
  readonly model: string;
  /** Space-time of new puts asked for, per second (byte·s/s). */
  readonly demandSpaceTimePerS: number;
  readonly acceptedPutsPerS: number;
  /** size·TTL of the puts accepted in the window, per second. */
  readonly acceptedSpaceTimePerS: number;
  /** Max-min share of the node's capacity (C byte·s/s). */
  readonly target: number;
  /** Max-min share of what the algorithm accepted in total: judges the split whatever the total. */
  readonly targetOfAccepted: number;
  readonly deviation: number;
  readonly deviationOfAccepted: number;
  readonly accepted: number;
  readonly again: number;
  readonly cap: number;
}

export interface RunSummary {
  readonly test: number;
  readonly algorithm: AlgorithmName;
  readonly seed: number;
  readonly durationS: number;
  readonly measureFromS: number;
  readonly capacitySpaceTimePerS: number;
  readonly acceptedSpaceTimePerS: number;
  /** Jain's index of achieved / max-min target of the accepted total. */
  readonly jain: number;
  /** Largest and mean |deviation| from the max-min targets at capacity. */
  readonly maxDeviation: number;
  readonly meanDeviation: number;
  readonly maxDeviationOfAccepted: number;
  readonly clients: readonly ClientSummary[];
}

export interface SingleNodeRun {
  readonly rows: ClientRow[];
  readonly summary: RunSummary;
}

export interface SingleNodeOptions {
  readonly test: TestSetup;
  readonly algorithm: AlgorithmName;
  readonly seed: number;
  /** Shorter than the setup's own run where a test allows. */
  readonly durationS?: number;
  /** Start of the window fairness is measured over; the second half by default. */
  readonly measureFromS?: number;
  readonly sampleEveryS?: number;
  readonly algorithmOptions?: AlgorithmOptions;
}

interface Event {
  readonly atMs: number;
  readonly seq: number;
  readonly run: () => void;
}

interface Tally {
  accepted: number;
  again: number;
  cap: number;
  acceptedSinceSample: number;
  windowPuts: number;
  windowSpaceTime: number;
}

/**
 * fssim's one-node world without the engine: clients put to one admission algorithm, driven by a sorted event
 * queue in whole milliseconds (ties in scheduling order). Every 10 s it records each client's stored bytes,
 * replies and space-time; at the end it judges the measured window against max-min targets.
 */
export function runSingleNode(options: SingleNodeOptions): SingleNodeRun {
  const { test, algorithm, seed } = options;
  const durationMs = Math.round((options.durationS ?? test.durationS) * 1000);
  const measureFromMs = Math.round((options.measureFromS ?? durationMs / 2000) * 1000);
  const sampleMs = Math.round((options.sampleEveryS ?? 10) * 1000);
  if (!(durationMs > 0) || !(sampleMs > 0) || !(measureFromMs >= 0 && measureFromMs < durationMs)) {
    throw new Error(`single node: need duration > 0, sample period > 0 and the measured window inside the run`);
  }
  const root = SeededRandom.root(seed);
  const limits = options.algorithmOptions?.limits ?? spaceTimeLimits(test.maxTtlS !== undefined ? { maxTtlS: test.maxTtlS } : {});
  const admission: AdmissionControl = createAdmission(algorithm, root.fork("algorithm"), { ...options.algorithmOptions, limits });

  const queue = new MinHeap<Event>((a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq));
  let seq = 0;
  let nowMs = 0;
  const at = (ms: number, run: () => void): void => queue.push({ atMs: Math.max(ms, nowMs), seq: seq++, run });

  const ledger = new StoredPuts();
  const tallies = new Map<string, Tally>();
  const byName = new Map<string, SimulatedClient>();
  let nextPutId = 0;

  // Replies due now are heard at once, as fssim's callbacks were; a client putting again from one lands in the
  // algorithm's next period. Later replies (NoQueuing's AGAIN) wait in the queue.
  const deliver = (replies: Reply[]): void => {
    for (const reply of replies) {
      const ms = Math.round(reply.atS * 1000);
      if (ms <= nowMs) hear(reply);
      else at(ms, () => hear(reply));
    }
  };
  const hear = (reply: Reply): void => {
    count(reply.put, reply.verdict);
    (byName.get(reply.put.client) as SimulatedClient).hear(reply.verdict, ctx);
  };
  const count = (put: Put, verdict: Verdict): void => {
    const t = tallies.get(put.client) as Tally;
    if (verdict === "again") t.again++;
    else if (verdict === "cap") t.cap++;
    else {
      t.accepted++;
      t.acceptedSinceSample++;
      ledger.advance(nowMs / 1000);
      ledger.add(put.client, put.sizeBytes, nowMs / 1000, put.ttlS);
      if (nowMs >= measureFromMs) {
        t.windowPuts++;
        t.windowSpaceTime += spaceTimeOf(put.sizeBytes, put.ttlS);
      }
    }
  };

  // One pending tick event at a time; a tick that the algorithm no longer wants is skipped when it fires.
  let tickAtMs = Infinity;
  let lastTickMs = -1;
  const syncTick = (): void => {
    const next = admission.nextTickS();
    if (!Number.isFinite(next)) return;
    const ms = Math.round(next * 1000);
    if (ms >= tickAtMs) return;
    if (ms < nowMs || (ms === nowMs && lastTickMs === nowMs)) {
      throw new Error(`single node: ${admission.name} asked for a tick at ${ms} ms after ticking at ${nowMs} ms`);
    }
    tickAtMs = ms;
    at(ms, () => {
      if (nowMs !== tickAtMs) return;
      tickAtMs = Infinity;
      lastTickMs = nowMs;
      deliver(admission.tick(nowMs / 1000));
      syncTick();
    });
  };

  const ctx: ClientContext = {
    nowMs: () => nowMs,
    at,
    put: (client, sizeBytes, ttlS) => {
      const put: Put = { id: nextPutId++, client: client.spec.name, sizeBytes, ttlS };
      deliver(admission.offer(put, nowMs / 1000));
      syncTick();
    },
  };

  const clients = test.clients.map((spec) => new SimulatedClient(spec, root.fork(`client:${spec.name}`), durationMs));
  for (const c of clients) {
    if (byName.has(c.spec.name)) throw new Error(`single node: two clients are named "${c.spec.name}"`);
    byName.set(c.spec.name, c);
    tallies.set(c.spec.name, { accepted: 0, again: 0, cap: 0, acceptedSinceSample: 0, windowPuts: 0, windowSpaceTime: 0 });
    c.start(ctx);
  }
  syncTick();

  const rows: ClientRow[] = [];
  const sample = (): void => {
    ledger.advance(nowMs / 1000);
    for (const c of clients) {
      const t = tallies.get(c.spec.name) as Tally;
      rows.push({
        time_s: nowMs / 1000,
        client: c.spec.name,
        stored_bytes: ledger.bytes(c.spec.name),
        accepted: t.accepted,
        again: t.again,
        cap: t.cap,
        accepted_per_s: t.acceptedSinceSample / (sampleMs / 1000),
        space_time_byte_s: ledger.spaceTimeByteS(c.spec.name, nowMs / 1000),
      });
      t.acceptedSinceSample = 0;
    }
    if (nowMs + sampleMs <= durationMs) at(nowMs + sampleMs, sample);
  };
  at(sampleMs, sample);

  for (let e = queue.pop(); e !== undefined && e.atMs <= durationMs; e = queue.pop()) {
    nowMs = e.atMs;
    e.run();
  }
  nowMs = durationMs;

  return { rows, summary: summarize(options, clients, tallies, limits.capacityBytes, durationMs, measureFromMs) };
}

function summarize(
  options: SingleNodeOptions,
  clients: readonly SimulatedClient[],
  tallies: Map<string, Tally>,
  capacity: number,
  durationMs: number,
  measureFromMs: number,
): RunSummary {
  const windowS = (durationMs - measureFromMs) / 1000;
  const demands = clients.map((c) => demandInWindow(c, measureFromMs, durationMs));
  const achieved = clients.map((c) => (tallies.get(c.spec.name) as Tally).windowSpaceTime / windowS);
  const total = achieved.reduce((a, b) => a + b, 0);
  const targets = maxMinShares(demands, capacity);
  const targetsOfAccepted = maxMinShares(demands, total);
  const deviations = relativeDeviations(achieved, targets);
  const deviationsOfAccepted = relativeDeviations(achieved, targetsOfAccepted);
  const perClient: ClientSummary[] = clients.map((c, i) => {
    const t = tallies.get(c.spec.name) as Tally;
    return {
      client: c.spec.name,
      model: c.spec.model,
      demandSpaceTimePerS: demands[i],
      acceptedPutsPerS: t.windowPuts / windowS,
      acceptedSpaceTimePerS: achieved[i],
      target: targets[i],
      targetOfAccepted: targetsOfAccepted[i],
      deviation: deviations[i],
      deviationOfAccepted: deviationsOfAccepted[i],
      accepted: t.accepted,
      again: t.again,
      cap: t.cap,
    };
  });
  const abs = deviations.map(Math.abs);
  return {
    test: options.test.id,
    algorithm: options.algorithm,
    seed: options.seed,
    durationS: durationMs / 1000,
    measureFromS: measureFromMs / 1000,
    capacitySpaceTimePerS: capacity,
    acceptedSpaceTimePerS: total,
    jain: jainOfTargets(achieved, targetsOfAccepted),
    maxDeviation: Math.max(...abs),
    meanDeviation: abs.reduce((a, b) => a + b, 0) / abs.length,
    maxDeviationOfAccepted: Math.max(...deviationsOfAccepted.map(Math.abs)),
    clients: perClient,
  };
}

/** Space-time per second a client asks for with new puts, averaged over the window (it may start or stop inside). */
function demandInWindow(c: SimulatedClient, fromMs: number, toMs: number): number {
  const s = c.spec;
  const active = Math.max(0, Math.min(toMs, s.stopMs ?? Infinity) - Math.max(fromMs, s.startMs));
  return (spaceTimeOf(s.sizeBytes, s.ttlS) * c.meanPutsPerS() * active) / (toMs - fromMs);
}

/** clients.csv text: a header of snake_case columns and one line per row. */
export function clientsCsv(rows: readonly ClientRow[]): string {
  const quote = (v: string | number): string => (typeof v === "number" ? String(Math.round(v * 1e6) / 1e6) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [CLIENT_COLUMNS.join(",")];
  for (const r of rows) lines.push(CLIENT_COLUMNS.map((k) => quote(r[k])).join(","));
  return `${lines.join("\n")}\n`;
}
