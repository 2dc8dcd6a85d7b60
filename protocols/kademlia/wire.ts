import type { WireField, WireFormatOf } from "../../sim/runtime/index.js";
import type { KademliaMessage } from "./kademlia-node.js";

// Nonces stay below 2^31 (protocols/common/requests.ts): 32 bits.
const nonce = "u32";
const reply = { nonce, contacts: { list: "contact" }, sender: "contact", coordinate: { nullable: "coordinate" } } as const satisfies Record<string, WireField>;

export const KADEMLIA_WIRE: WireFormatOf<KademliaMessage> = {
  costModel: "Bamboo's cost model applied to Kademlia's fields: a 16-byte header beyond UDP's 8, a nonce of 8, a node reference of 31 bytes and a key of 24.",
  layout: {
    header: 16,
    identifier: 24,
    address: 7,
    contact: 31,
    // Its nonce is counted as 8 bytes; what a lookup is for, and a routed request's category, are bookkeeping.
    fields: { nonce: 8, kind: 0, category: 0 },
  },
  messages: {
    findNode: { nonce, key: "id", sender: "contact", kind: { oneOf: ["lookup", "join", "refresh"] } },
    nodes: reply,
    ping: { nonce, sender: "contact" },
    pong: { nonce, sender: "contact", coordinate: { nullable: "coordinate" } },
    // The categories the storage layer routes its requests under.
    appFindNode: { nonce, key: "id", sender: "contact", category: { oneOf: ["put", "get", "handoff"] } },
    appNodes: reply,
    // A lookup's depth is not capped by a hop limit as routes are: 16 bits.
    app: { key: "id", payload: "payload", hops: "u16", sender: "contact" },
  },
};
