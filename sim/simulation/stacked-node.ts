import type { Address, Contact, LookupHandle, ProtocolNode } from "../runtime/node-runtime.js";
import type { Id } from "../runtime/ids.js";
import type { KeyBasedRouting } from "../runtime/key-based-routing.js";
import type { StorageMessageBase, StorageNode } from "../runtime/storage-layer.js";

/**
 * A node running a storage layer on its routing protocol, as the network sees it: one receiver, which hands each
 * message to the layer that sent it (storage messages say so in their `layer` field). The routing protocol keeps its
 * lookups; the storage layer reaches it only through key-based routing.
 */
export class StackedNode implements ProtocolNode {
  constructor(
    readonly lower: ProtocolNode,
    readonly storage: StorageNode,
  ) {}

  join(gateway: Contact | null): void {
    this.lower.join(gateway);
  }

  receive(from: Address, message: unknown): void {
    if ((message as Partial<StorageMessageBase>).layer === "storage") this.storage.receive(from, message as StorageMessageBase);
    else this.lower.receive(from, message);
  }

  lookup(key: Id, handle: LookupHandle): void {
    this.lower.lookup(key, handle);
  }

  get routing(): KeyBasedRouting | undefined {
    return this.lower.routing;
  }
}
