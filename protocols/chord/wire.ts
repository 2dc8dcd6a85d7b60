import type { WireField, WireFormatOf } from "../../sim/runtime/index.js";
import type { ChordMessage } from "./messages.js";

const kind: WireField = { oneOf: ["lookup", "join", "finger"] };
// Nonces stay below 2^31 (protocols/common/requests.ts) and tags count a node's lookups (a finger's index for
// finger routes): 32 bits. Hops stop just past 64 (MAX_HOPS): a byte.
const nonce = "u32";
const tag = "u32";

export const CHORD_WIRE: WireFormatOf<ChordMessage> = {
  costModel: "Bamboo's cost model applied to Chord's fields: a 16-byte header beyond UDP's 8, a node reference of 31 bytes and a key of 24.",
  layout: {
    header: 16,
    identifier: 24,
    address: 7,
    contact: 31,
    // A nonce counted as 8 bytes (a ping is header + 8); the kind is in the message type; an app hop's size and
    // category are the simulator's bookkeeping.
    fields: { nonce: 8, kind: 0, bytes: 0, category: 0 },
    notes: {
      ack: "declared as Bamboo counts an acknowledgement, a bare IP/UDP header; it carries at least the nonce it acknowledges, so acknowledgements are counted a few bytes low",
      appAck: "as ack",
    },
  },
  messages: {
    route: { nonce, kind, key: "id", tag, origin: "contact", hops: "u8" },
    ack: { nonce },
    found: { kind, tag, owner: "contact", hops: "u8" },
    step: { tag, key: "id" },
    stepReply: { tag, done: "bool", next: "contact" },
    getPredecessor: { nonce },
    predecessor: { nonce, predecessor: { nullable: "contact" }, successors: { list: "contact" }, coordinate: { nullable: "coordinate" } },
    notify: { who: "contact" },
    ping: { nonce },
    pong: { nonce, coordinate: { nullable: "coordinate" } },
    // The categories the storage layer routes its requests under.
    app: { nonce, key: "id", payload: "payload", bytes: "u32", category: { oneOf: ["put", "get", "handoff"] }, origin: "contact", hops: "u8", last: "bool" },
    appAck: { nonce },
  },
};
