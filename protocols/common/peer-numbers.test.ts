import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PeerNumbers } from "./peer-numbers.js";

describe("per-peer numbers", () => {
  it("hold what a map of arrays would, through inserts, updates and deletes", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), peer: fc.integer({ min: 0, max: 300 }), field: fc.integer({ min: 0, max: 2 }), value: fc.double({ noNaN: true }) }),
      fc.record({ kind: fc.constant("delete" as const), peer: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 1000 }), (ops) => {
        const store = new PeerNumbers(3);
        const model = new Map<number, number[]>();
        for (const o of ops) {
          if (o.kind === "delete") {
            store.delete(o.peer);
            model.delete(o.peer);
            continue;
          }
          let at = store.find(o.peer);
          if (at < 0) {
            at = store.insert(o.peer);
            for (let f = 0; f < 3; f++) store.values[at + f] = 0;
            model.set(o.peer, [0, 0, 0]);
          }
          store.values[at + o.field] = o.value;
          (model.get(o.peer) as number[])[o.field] = o.value;
        }
        for (let peer = 0; peer <= 300; peer++) {
          const at = store.find(peer);
          const expected = model.get(peer);
          if (expected === undefined) expect(at).toBe(-1);
          else expect([0, 1, 2].map((f) => store.values[at + f])).toEqual(expected);
        }
      }),
    );
  });
});
