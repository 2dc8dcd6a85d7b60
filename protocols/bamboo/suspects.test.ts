import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { peerOf } from "../common/identifiers.js";
import { Suspects } from "./suspects.js";

describe("suspects", () => {
  it("answer as a map would, whichever addresses share a filter bit", () => {
    // Addresses up to 200: many share one of the filter's 32 bits, so deleting one must not hide another.
    const op = fc.record({ add: fc.boolean(), address: fc.integer({ min: 0, max: 200 }), deadline: fc.nat() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const suspects = new Suspects();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.add) {
            suspects.add(peerOf({ address: o.address, id: o.address.toString(16).padStart(40, "0") }), o.deadline);
            model.set(o.address, o.deadline);
          } else {
            suspects.delete(o.address);
            model.delete(o.address);
          }
        }
        expect(suspects.size).toBe(model.size);
        for (let a = 0; a <= 200; a++) {
          expect(suspects.has(a)).toBe(model.has(a));
          const s = suspects.get(a);
          expect(s === undefined ? undefined : [s.peer.address, s.deadline]).toEqual(model.has(a) ? [a, model.get(a)] : undefined);
        }
      }),
    );
  });
});
