import type { RandomStream } from "../../sim/runtime/random-stream.js";
import type { Put, Reply } from "./admission-control.js";
import { acceptOneCapRest, clientsOf, PeriodicAdmission } from "./periodic-admission.js";
import { lowestLevel } from "./water-filling.js";

/**
 * fssim's FairRate: each period, accept one put from a random client in the lowest water-filling level of bytes
 * accepted over a sliding window (30 s); the rest get CAP. Clients never accepted count as zero.
 */
export class FairRateAdmission extends PeriodicAdmission {
  readonly name = "fairRate";
  private readonly slots: number;
  /** Per client: bytes accepted in each period slot of the window, and their total. */
  private readonly windows = new Map<string, { slots: number[]; total: number }>();

  constructor(
    periodS: number,
    private readonly random: RandomStream,
    windowS = 30,
  ) {
    super(periodS);
    this.slots = Math.max(1, Math.round(windowS / periodS));
  }

  protected decide(puts: Put[], nowS: number): Reply[] {
    // Age the window every period, with or without puts, so old acceptances fall out on time.
    const slot = Math.round(nowS / this.periodS) % this.slots;
    for (const w of this.windows.values()) {
      w.total -= w.slots[slot];
      w.slots[slot] = 0;
    }
    if (puts.length === 0) return [];
    const putClients = clientsOf(puts);
    const usages = [...this.windows].map(([client, w]) => ({ client, usage: w.total }));
    for (const client of putClients) if (!this.windows.has(client)) usages.push({ client, usage: 0 });
    const below = lowestLevel(usages, new Set(putClients));
    const winner = below[this.random.int(below.length)];
    const chosen = puts.find((p) => p.client === winner) as Put;
    let w = this.windows.get(winner);
    if (w === undefined) {
      w = { slots: new Array<number>(this.slots).fill(0), total: 0 };
      this.windows.set(winner, w);
    }
    w.slots[slot] += chosen.sizeBytes;
    w.total += chosen.sizeBytes;
    return acceptOneCapRest(puts, chosen, (p) => this.accept(p, nowS), nowS);
  }
}
