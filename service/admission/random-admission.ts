import type { RandomStream } from "../../sim/runtime/random-stream.js";
import type { Put, Reply } from "./admission-control.js";
import { acceptOneCapRest, PeriodicAdmission } from "./periodic-admission.js";

/** fssim's control: each period, accept one pending put chosen uniformly at random; the rest get CAP. */
export class RandomAdmission extends PeriodicAdmission {
  readonly name = "random";

  constructor(
    periodS: number,
    private readonly random: RandomStream,
  ) {
    super(periodS);
  }

  protected decide(puts: Put[], nowS: number): Reply[] {
    if (puts.length === 0) return [];
    const chosen = puts[this.random.int(puts.length)];
    return acceptOneCapRest(puts, chosen, (p) => this.accept(p, nowS), nowS);
  }
}
