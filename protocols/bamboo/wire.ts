import type { WireField, WireFormatOf } from "../../sim/runtime/index.js";
import type { Message } from "./messages.js";

const kind: WireField = { oneOf: ["lookup", "join", "tune", "app"] };
/** The categories the storage layer routes its requests under (an `app` route carries its caller's). */
const routedCategory: WireField = { oneOf: ["put", "get", "handoff"] };
const contacts: WireField = { list: "contact" };
// Nonces stay below 2^31 (protocols/common/requests.ts) and tags count a node's lookups: both need 32 bits. Hops
// stop at 64 (MAX_HOPS), levels below 160 / digit bits, sampling depth at 2: a byte each.
const nonce = "u32";
const tag = "u32";

export const BAMBOO_WIRE: WireFormatOf<Message> = {
  costModel: "Bamboo's Router.java cost comment: a 16-byte header beyond UDP's 8, a node reference of 31 bytes (address 7, identifier 24) and a key of 24.",
  layout: {
    header: 16,
    identifier: 24,
    address: 7,
    contact: 31,
    // Bamboo's transport header holds the sequence number acknowledgements refer to; each kind of route is a
    // message type of its own; an app route's size and category are the simulator's bookkeeping.
    fields: { nonce: 0, kind: 0, payloadBytes: 0, category: 0 },
    notes: {
      ack: "Bamboo's cost comment counts an acknowledgement as a bare IP/UDP header (28 bytes); it carries at least the nonce it acknowledges, so acknowledgements are counted a few bytes low",
      rowRequest: "declared as Bamboo's routing-table request (72 bytes with IP/UDP headers); this one carries a level, a depth and a nonce, so it is counted 26 bytes high, as Bamboo's own was",
    },
  },
  messages: {
    route: {
      nonce,
      kind,
      key: "id",
      tag,
      origin: "contact",
      hops: "u8",
      path: { nullable: contacts },
      payload: { nullable: "payload" },
      payloadBytes: "u32",
      category: { nullable: routedCategory },
    },
    ack: { nonce },
    step: { tag, key: "id", origin: "contact", exclude: { list: "address" } },
    stepReply: { tag, next: "contact" },
    found: { kind, tag, owner: "contact", hops: "u8" },
    welcome: { leaves: contacts, path: contacts },
    leafset: { leaves: contacts, pull: "bool" },
    ping: { nonce, coordinate: { nullable: "coordinate" } },
    pong: { nonce, coordinate: { nullable: "coordinate" } },
    rowRequest: { level: "u8", depth: "u8", nonce },
    row: { level: "u8", depth: "u8", entries: contacts },
    added: { node: "contact" },
    inverseRequest: {},
    inverse: { entries: contacts },
  },
};
