import type { RandomStream } from "../../sim/runtime/random-stream.js";
import type { AdmissionControl, AlgorithmName } from "./admission-control.js";
import { FairCommitmentAdmission } from "./fair-commitment.js";
import { FairRateAdmission } from "./fair-rate.js";
import { FairSpaceTimeAdmission } from "./fair-space-time.js";
import { FairStorageAdmission } from "./fair-storage.js";
import { NoQueuingAdmission } from "./no-queuing.js";
import { type OpenDhtSettings, openDhtSettings, OpenDhtAdmission } from "./open-dht.js";
import { RandomAdmission } from "./random-admission.js";
import { type SpaceTimeLimits, spaceTimeLimits } from "./space-time-limits.js";

export interface AlgorithmOptions {
  /** fssim's decision period (1 s). */
  readonly periodS?: number;
  readonly limits?: SpaceTimeLimits;
  readonly openDht?: OpenDhtSettings;
}

/** Build an algorithm by name; `random` is its own stream (only the baselines and none of the fair-queueing
 * algorithms draw from it). */
export function createAdmission(name: AlgorithmName, random: RandomStream, options: AlgorithmOptions = {}): AdmissionControl {
  const periodS = options.periodS ?? 1;
  const limits = options.limits ?? spaceTimeLimits();
  switch (name) {
    case "random":
      return new RandomAdmission(periodS, random);
    case "fairRate":
      return new FairRateAdmission(periodS, random);
    case "fairStorage":
      return new FairStorageAdmission(periodS);
    case "fairCommitment":
      return new FairCommitmentAdmission(periodS, random);
    case "fairSpaceTime":
      return new FairSpaceTimeAdmission(periodS, limits);
    case "noQueuing":
      return new NoQueuingAdmission(periodS, limits);
    case "openDht":
      return new OpenDhtAdmission(options.openDht ?? openDhtSettings());
  }
}
