import type { AdmissionControl, AlgorithmName, Put, Reply } from "./admission-control.js";
import { StoredPuts } from "./stored-puts.js";

/**
 * The frame of fssim's queued algorithms: puts wait until the end of the current period (1 s), then the
 * algorithm answers all of them at once; accepted puts are stored for their TTL.
 */
export abstract class PeriodicAdmission implements AdmissionControl {
  abstract readonly name: AlgorithmName;
  protected readonly stored = new StoredPuts();
  private pending: Put[] = [];
  private nextPeriodS: number;

  constructor(readonly periodS: number) {
    if (!(periodS > 0)) throw new Error(`admission: period ${periodS} s must be positive`);
    this.nextPeriodS = periodS;
  }

  offer(put: Put, _nowS: number): Reply[] {
    this.pending.push(put);
    return [];
  }

  nextTickS(): number {
    return this.nextPeriodS;
  }

  tick(nowS: number): Reply[] {
    // Puts offered while this period is decided (retries after AGAIN) wait for the next one, as in fssim.
    const puts = this.pending;
    this.pending = [];
    this.nextPeriodS = nowS + this.periodS;
    this.stored.advance(nowS, (client) => this.allExpired(client));
    return this.decide(puts, nowS);
  }

  /** Answer this period's puts, in arrival order. */
  protected abstract decide(puts: Put[], nowS: number): Reply[];

  /** Hook for algorithms that forget a client once it stores nothing. */
  protected allExpired(_client: string): void {}

  protected accept(put: Put, nowS: number): Reply {
    this.stored.add(put.client, put.sizeBytes, nowS, put.ttlS);
    return { put, verdict: "ok", atS: nowS };
  }
}

/** Accept `chosen` and refuse every other put of the period with CAP, as fssim's one-put-per-period algorithms do. */
export function acceptOneCapRest(puts: Put[], chosen: Put, accept: (p: Put) => Reply, nowS: number): Reply[] {
  return puts.map((p) => (p === chosen ? accept(p) : { put: p, verdict: "cap" as const, atS: nowS }));
}

/** Distinct clients of `puts`, in order of first put. */
export function clientsOf(puts: readonly Put[]): string[] {
  return [...new Set(puts.map((p) => p.client))];
}
