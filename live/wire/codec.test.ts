import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BAMBOO_WIRE } from "../../protocols/bamboo/wire.js";
import { CHORD_WIRE } from "../../protocols/chord/wire.js";
import { PROTOCOLS } from "../../protocols/index.js";
import { decodedMessage, messageArbitrary, stubPayload } from "./arbitraries.js";
import { createCodec } from "./codec.js";

const ID = "0123456789abcdef0123456789abcdef01234567";
const contact = (address: number) => ({ address, id: ID });

describe("the wire codec", () => {
  for (const [name, protocol] of Object.entries(PROTOCOLS)) {
    it(`round-trips every message type of ${name}`, () => {
      const format = protocol.wire;
      expect(format, `${name} declares a wire format`).toBeDefined();
      if (format === undefined) return;
      const codec = createCodec(format, stubPayload);
      for (const t of Object.keys(format.messages)) {
        fc.assert(
          fc.property(messageArbitrary(format, t), (m) => {
            const bytes = codec.encode(m);
            expect(bytes[0]).toBe(Object.keys(format.messages).indexOf(t));
            expect(codec.typeOf(m)).toBe(t);
            expect(codec.decode(bytes)).toEqual(decodedMessage(format, m));
          }),
          { numRuns: 60 },
        );
      }
    });
  }

  it("refuses a number out of its field's range, naming the message type and field", () => {
    const codec = createCodec(BAMBOO_WIRE);
    expect(() => codec.encode({ t: "row", level: 256, depth: 0, entries: [] })).toThrow(RangeError);
    expect(() => codec.encode({ t: "row", level: 256, depth: 0, entries: [] })).toThrow(/row.*level/);
    expect(() => codec.encode({ t: "ack", nonce: 2 ** 32 })).toThrow(/ack.*nonce/);
    expect(() => codec.encode({ t: "ack", nonce: -1 })).toThrow(/ack.*nonce/);
    expect(() => codec.encode({ t: "ack", nonce: 1.5 })).toThrow(/ack.*nonce/);
    expect(() => codec.encode({ t: "leafset", leaves: [contact(1), { address: 2, id: "XYZ" }], pull: false })).toThrow(/leafset.*leaves.*\[1\].*id/);
    expect(() => codec.encode({ t: "leafset", leaves: [contact(2 ** 32)], pull: false })).toThrow(/leafset.*leaves.*address/);
  });

  it("refuses a message type, a category or a field the format does not describe", () => {
    const codec = createCodec(CHORD_WIRE, stubPayload);
    expect(() => codec.encode({ t: "gossip", nonce: 1 })).toThrow(/gossip/);
    expect(() => codec.encode({ t: "ping", nonce: 1, extra: 2 })).toThrow(/ping.*extra/);
    expect(() => codec.encode({ t: "ping" })).toThrow(/ping.*nonce/);
    const app = { t: "app", nonce: 1, key: ID, payload: { n: 1 }, bytes: 10, category: "gossip", origin: contact(1), hops: 0, last: false };
    expect(() => codec.encode(app)).toThrow(/app.*category/);
    expect(() => codec.encode({ nonce: 1 })).toThrow(RangeError);
  });

  it("needs the upper layer's codec for a payload, but not for a route without one", () => {
    const codec = createCodec(BAMBOO_WIRE);
    const route = { t: "route", nonce: 3, kind: "app", key: ID, tag: 0, origin: contact(1), hops: 0, path: null, payload: { n: 1 }, payloadBytes: 4, category: "put" };
    expect(() => codec.encode(route)).toThrow(/payload.*upper layer's wire format/);
    const lookup = { ...route, kind: "lookup", payload: null, payloadBytes: 0, category: null };
    expect(codec.decode(codec.encode(lookup))).toEqual(lookup);
  });

  it("refuses truncated, padded or unknown bytes", () => {
    const codec = createCodec(BAMBOO_WIRE);
    const bytes = codec.encode({ t: "leafset", leaves: [contact(1), contact(2)], pull: true });
    for (let n = 0; n < bytes.length; n++) expect(() => codec.decode(bytes.subarray(0, n)), `${n} bytes`).toThrow(RangeError);
    expect(() => codec.decode(new Uint8Array([...bytes, 0]))).toThrow(/left over/);
    expect(() => codec.decode(new Uint8Array([200]))).toThrow(/type index 200/);
    const badFlag = Uint8Array.from(bytes);
    badFlag[bytes.length - 1] = 7;
    expect(() => codec.decode(badFlag)).toThrow(/leafset.*pull/);
  });

  it("encodes to the sizes the format implies", () => {
    const bamboo = createCodec(BAMBOO_WIRE, stubPayload);
    // Type, count, 8 contacts of 24 bytes, flag.
    expect(bamboo.encode({ t: "leafset", leaves: Array.from({ length: 8 }, (_, i) => contact(i)), pull: false }).length).toBe(1 + 2 + 8 * 24 + 1);
    // Type, nonce, kind, key, tag, origin, hops, path flag, payload flag, payload bytes, category flag.
    const route = { t: "route", nonce: 3, kind: "lookup", key: ID, tag: 9, origin: contact(1), hops: 2, path: null, payload: null, payloadBytes: 0, category: null };
    expect(bamboo.encode(route).length).toBe(1 + 4 + 1 + 20 + 4 + 24 + 1 + 1 + 1 + 4 + 1);
    // An app route adds the payload's length and its 4 bytes, and the category's byte.
    expect(bamboo.encode({ ...route, kind: "app", payload: { n: 7 }, payloadBytes: 4, category: "get" }).length).toBe(62 + 2 + 4 + 1);
    // Type, nonce, flag, dimension count, two components, height, error.
    expect(bamboo.encode({ t: "ping", nonce: 1, coordinate: { x: [1.5, -2], height: 0.1, error: 1 } }).length).toBe(1 + 4 + 1 + 1 + 4 * 4);
    expect(bamboo.encode({ t: "ack", nonce: 1 }).length).toBe(5);
    expect(bamboo.encode({ t: "inverseRequest" }).length).toBe(1);
  });

  it("brings single floats back as Math.fround, and identifiers as lowercase hex", () => {
    const codec = createCodec(BAMBOO_WIRE);
    const m = codec.decode(codec.encode({ t: "pong", nonce: 1, coordinate: { x: [0.1], height: 0.2, error: 0.3 } })) as { coordinate: { x: number[]; height: number } };
    expect(m.coordinate.x[0]).toBe(Math.fround(0.1));
    expect(m.coordinate.height).toBe(Math.fround(0.2));
    expect(() => codec.encode({ t: "added", node: { address: 1, id: ID.toUpperCase() } })).toThrow(/added.*node.*id/);
  });
});
