import type { Put, Reply } from "./admission-control.js";
import { acceptOneCapRest, clientsOf, PeriodicAdmission } from "./periodic-admission.js";

/** fssim's FairStorage: each period, accept one put of the pending client storing the fewest bytes (ties to the
 * client whose put came first); the rest get CAP. */
export class FairStorageAdmission extends PeriodicAdmission {
  readonly name = "fairStorage";

  protected decide(puts: Put[], nowS: number): Reply[] {
    if (puts.length === 0) return [];
    let best = "";
    let least = Infinity;
    for (const client of clientsOf(puts)) {
      const bytes = this.stored.bytes(client);
      if (bytes < least) {
        least = bytes;
        best = client;
      }
    }
    const chosen = puts.find((p) => p.client === best) as Put;
    return acceptOneCapRest(puts, chosen, (p) => this.accept(p, nowS), nowS);
  }
}
