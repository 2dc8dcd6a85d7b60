import type { Id } from "../runtime/ids.js";
import type { Address, ProtocolNode } from "../runtime/node-runtime.js";
import type { StorageDisk, StorageNode } from "../runtime/storage-layer.js";

/** The engine's record of one node incarnation: where it sits in the network and whether it is alive. */
export class SimNode {
  alive = false;
  /** Departed for good: its address will never be alive again, so a message to it is lost as it is sent. */
  retired = false;
  joined = false;
  /** Sessions begun so far: with the address, it names the current incarnation. */
  session = 0;
  /** When the current session began (µs). */
  sessionStart = 0;
  /** False for the initial population, whose sessions are cut short at churn start by residual lifetimes. */
  sessionObserved = false;
  /** Time at which the access link will have sent everything queued so far (µs). */
  uplinkFreeAt = 0;
  downlinkFreeAt = 0;
  /** When the node has handled every message it has received (network.processing). */
  processingFreeAt = 0;
  /** An injected slowdown's upload rate (bits/s) while it lasts; 0 when the scenario's rate applies. */
  uplinkOverrideBps = 0;
  protocol: ProtocolNode | null = null;
  /** The storage layer of the current incarnation, when the scenario runs one. */
  storage: StorageNode | null = null;
  /** What the node stored, kept while it is away when it will return (its disk survives the session). */
  disk: StorageDisk | null = null;
  /** The runtime of the current incarnation, as far as invariant checks need it. */
  runtime: { readonly active: boolean } | null = null;

  constructor(
    readonly address: Address,
    /** Network address as text, e.g. "10.0.3.17:4001"; the identifier is its SHA-1. */
    readonly label: string,
    readonly id: Id,
    /** Index of the host in the latency matrix. */
    readonly host: number,
    /** One-way delay of this node's own access link, added to every message it sends or receives (whole µs). */
    readonly accessDelayUs: number,
  ) {}
}
