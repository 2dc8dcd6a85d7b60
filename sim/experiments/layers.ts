import { rootAdmission } from "../../service/admission/root-admission.js";
import { storageLayer } from "../../storage/index.js";
import type { Scenario } from "../scenario/scenario.js";
import type { SimulationOptions } from "../simulation/simulation.js";

/**
 * The layers above routing that a scenario asks for, as the simulation takes them: the storage layer its
 * `storage.replication` names and the admission control of `storage.admission` (none without those sections).
 */
export function layersFor(scenario: Scenario): Pick<SimulationOptions, "storage" | "admission"> {
  const s = scenario.storage;
  if (s === null) return {};
  return {
    storage: storageLayer(s.replication),
    ...(s.admission === null ? {} : { admission: rootAdmission(s.admission, { maxTtlMs: s.maxTtlMs, maxValueBytes: s.maxValueBytes }) }),
  };
}
