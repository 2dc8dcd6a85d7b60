import type { Replication, StorageDefinition } from "../sim/runtime/index.js";
import { AntiEntropy } from "./anti-entropy.js";
import { DhashMaintenance } from "./dhash-maintenance.js";
import { PushOnChange } from "./push-on-change.js";
import { type ReplicationDesign, StorageLayerNode } from "./storage-layer-node.js";

/** Bamboo's store as OpenDHT ran it: root fan-out with acks, anti-entropy over put times, hand-off, quorum gets. */
const BAMBOO: ReplicationDesign = {
  handoff: "random",
  maintenance: (p) => new AntiEntropy(p.rt, p.routing, p.o, p.store),
};

/**
 * DHash's (MIT Chord): replicas on the key's first r successors kept by Merkle synchronisation over the key space
 * with the successors; eager, misplaced copies are handed to the root and deleted; with Carbonite, copies are
 * made only while fewer than r are reachable and surplus copies are kept, so returning nodes' copies count again.
 */
const DHASH = (carbonite: boolean): ReplicationDesign => ({
  handoff: carbonite ? null : "root",
  maintenance: (p) => new DhashMaintenance(p.rt, p.routing, p.o, p.store),
});

/** OverSim's DHT application: the root pushes a tuple to each new member of its replica set, nothing more. */
const PUSH: ReplicationDesign = {
  handoff: null,
  maintenance: (p) => new PushOnChange(p.rt, p.routing, p.o, p.store),
};

const definition = (name: Replication, description: string, design: (carbonite: boolean) => ReplicationDesign): StorageDefinition => ({
  name,
  description,
  create: (runtime, routing, options, reports, disk, admission) =>
    new StorageLayerNode(runtime, routing, options, reports, disk, design(options.carbonite), admission),
});

/** Every storage layer a scenario can name in `storage.replication`. */
export const STORAGE: Readonly<Record<Replication, StorageDefinition>> = {
  bamboo: definition("bamboo", "Bamboo's replicated store (OpenDHT): root + 7 leaf-set neighbours, acks, anti-entropy with Merkle trees over put times, hand-off, quorum gets.", () => BAMBOO),
  dhash: definition("dhash", "DHash (MIT Chord): the first r successors, Merkle synchronisation over the key space, hand-off of misplaced keys; Carbonite's repair rule as an option.", DHASH),
  push: definition("push", "Push-on-change (OverSim's DHT): the root pushes each tuple to new replica-set members; no anti-entropy.", () => PUSH),
};

/** The storage layer a scenario's `storage.replication` names, or undefined for a run without one. */
export function storageLayer(replication: Replication | undefined): StorageDefinition | undefined {
  return replication === undefined ? undefined : STORAGE[replication];
}
