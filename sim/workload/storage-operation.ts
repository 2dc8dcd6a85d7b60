import type { PutStatus } from "../metrics/storage-metrics.js";
import type { ServicePutStatus } from "../runtime/client-application.js";
import type { Id } from "../runtime/ids.js";
import type { Address } from "../runtime/node-runtime.js";
import type { OpHandle, StorageNode } from "../runtime/storage-layer.js";
import type { Client } from "./client-population.js";
import type { PutValue } from "./workload-values.js";

/** The incarnation an operation was started on: whether it is still alive, and who it is. */
export interface StorageClient {
  readonly active: boolean;
  readonly address: Address;
  readonly id: Id;
}

export const PUT = 0;
export const REMOVE = 1;
export const GET = 2;
export type OpKind = typeof PUT | typeof REMOVE | typeof GET;

/** An operation under way, from its start until it ends (or, for a client's, until its next try replaces it). */
export interface PendingOp {
  kind: OpKind;
  startUs: number;
  /** The node that takes the operation on: the node itself, or a client's gateway. */
  client: StorageClient;
  key: Id;
  /** The value put or removed (null for a get). */
  value: PutValue | null;
  ttlMs: number;
  timeout: number;
  /** The client that asked, or null when nodes are their own clients; its tries so far. */
  asker: Client | null;
  attempt: number;
  /** For an application's operation (ReDiR's): where its outcome goes instead of the workload's records. */
  onPut: ((status: ServicePutStatus) => void) | null;
  onGet: ((values: readonly number[] | null) => void) | null;
}

/** What a client's tries need of the workload's operation pipeline, which records and ends every operation. */
export interface OperationPipeline {
  /** The operation is under way, timed out after `timeoutMs` unless it ends first: its handle. */
  open(timeoutMs: number, op: Omit<PendingOp, "timeout">): OpHandle;
  pending(handle: OpHandle): PendingOp | undefined;
  /** The try is over and another will follow: its record goes, its outcome is still to come. */
  forget(handle: OpHandle): void;
  storage(address: Address): StorageNode | null;
  /** Hands the operation to a node's storage layer; `identity` is what fair admission counts a put under. */
  deliver(node: StorageNode, handle: OpHandle, op: PendingOp, ttlMs: number, identity: number): void;
  endPut(handle: OpHandle, op: PendingOp, status: PutStatus, acks: number | null, attempts: number | null): void;
}
