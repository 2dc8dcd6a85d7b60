import type { WireFormatOf } from "../../sim/runtime/index.js";
import type { OneHopMessage } from "./onehop.js";

// Ping nonces and lookup tags count a node's pings and lookups: 32 bits. A welcome's u16 count bounds the
// membership it can carry (and a datagram of 64 KiB holds only ~2,700 contacts anyway).
export const ONEHOP_WIRE: WireFormatOf<OneHopMessage> = {
  costModel: "Its own sizes: a type and a tag of 8 bytes, a contact of 31 (address 7, a 24-byte identifier as Bamboo counts it), a key of 20.",
  layout: {
    header: 8,
    identifier: 20,
    address: 7,
    contact: 31,
    // Its 8 bytes of type and tag hold a request's nonce or tag.
    fields: { nonce: 0, tag: 0 },
  },
  messages: {
    join: { who: "contact" },
    welcome: { members: { list: "contact" } },
    hello: { who: "contact" },
    gone: { who: "contact" },
    ping: { nonce: "u32" },
    pong: { nonce: "u32" },
    find: { key: "id", tag: "u32" },
    found: { tag: "u32", owner: "contact" },
  },
};
