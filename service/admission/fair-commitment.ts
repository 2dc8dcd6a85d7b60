import type { RandomStream } from "../../sim/runtime/random-stream.js";
import type { Put, Reply } from "./admission-control.js";
import { acceptOneCapRest, clientsOf, PeriodicAdmission } from "./periodic-admission.js";
import { lowestLevel } from "./water-filling.js";

/**
 * fssim's FairCommitment: a client's commitment grows by size·TTL when one of its puts is accepted and shrinks by
 * its stored bytes·period every period (never below zero) — space-time promised but not yet served. Each period,
 * accept one put from a random client in the lowest water-filling level of commitment among the clients with puts
 * pending; the rest get CAP.
 */
export class FairCommitmentAdmission extends PeriodicAdmission {
  readonly name = "fairCommitment";
  private readonly commitments = new Map<string, number>();

  constructor(
    periodS: number,
    private readonly random: RandomStream,
  ) {
    super(periodS);
  }

  protected decide(puts: Put[], nowS: number): Reply[] {
    let replies: Reply[] = [];
    if (puts.length > 0) {
      const putClients = clientsOf(puts);
      const usages = putClients.map((client) => ({ client, usage: this.commitments.get(client) ?? 0 }));
      const below = lowestLevel(usages, new Set(putClients));
      const winner = below[this.random.int(below.length)];
      const chosen = puts.find((p) => p.client === winner) as Put;
      replies = acceptOneCapRest(puts, chosen, (p) => this.accept(p, nowS), nowS);
      this.commitments.set(winner, (this.commitments.get(winner) ?? 0) + chosen.sizeBytes * chosen.ttlS);
    }
    for (const [client, c] of this.commitments) {
      this.commitments.set(client, Math.max(0, c - this.stored.bytes(client) * this.periodS));
    }
    return replies;
  }
}
