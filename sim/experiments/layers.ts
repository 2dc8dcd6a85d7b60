import { rootAdmission } from "../../service/admission/root-admission.js";
import { redirApplication } from "../../service/redir/redir-application.js";
import { storageLayer } from "../../storage/index.js";
import type { Scenario } from "../scenario/scenario.js";
import type { SimulationOptions } from "../simulation/simulation.js";

/**
 * The layers above routing that a scenario asks for, as the simulation takes them: the storage layer its
 * `storage.replication` names, the admission control of `storage.admission` and the application on the clients
 * (`storage.redir`: ReDiR); none without those sections.
 */
export function layersFor(scenario: Scenario): Pick<SimulationOptions, "storage" | "admission" | "application"> {
  const s = scenario.storage;
  if (s === null) return {};
  return {
    storage: storageLayer(s.replication),
    ...(s.admission === null ? {} : { admission: rootAdmission(s.admission, { maxTtlMs: s.maxTtlMs, maxValueBytes: s.maxValueBytes }) }),
    ...(s.redir === null ? {} : { application: redirApplication(s.redir) }),
  };
}

/** The files a run writes besides the storage layer's own: clients.csv with client groups, redir.csv with ReDiR. */
export function storageExtras(storage: NonNullable<Scenario["storage"]>): string[] {
  return [...((storage.clients?.groups.length ?? 0) > 0 ? ["clients.csv"] : []), ...(storage.redir === null ? [] : ["redir.csv"])];
}
