// What protocol code may import from the simulator: the node's runtime and the vocabulary it shares with the
// engine (identifiers, random streams, how a protocol plugs into a scenario). Nothing else of sim/.
export type { Address, Contact, Counter, LookupHandle, NodeRuntime, ProtocolNode, Sample, TimerHandle } from "./node-runtime.js";
export type { Ownership, ProtocolDefinition } from "./protocol-definition.js";
export type { RandomStream } from "./random-stream.js";
export { clockwiseDistance, type Id, ID_BITS, ID_HEX_DIGITS, idToBigInt, ringDistance } from "./ids.js";
export type { KbrUpcalls, KeyBasedRouting } from "./key-based-routing.js";
export type {
  AdmissionDefinition,
  AdmissionVerdict,
  GetMode,
  OpHandle,
  PutAdmission,
  PutOutcome,
  Replication,
  StorageDefinition,
  StorageDisk,
  StorageMessageBase,
  StorageNode,
  StorageOptions,
  StorageReports,
  ValueRef,
} from "./storage-layer.js";
export { hashSecret } from "./storage-layer.js";
export type { Counted, MessageCategories } from "./message-categories.js";
export type { WireField, WireFormat, WireFormatOf, WireLayout } from "./wire-format.js";
