import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressList } from "./address-list.js";

describe("address list", () => {
  it("holds what a set would, through adds and deletes past its first capacity", () => {
    const op = fc.record({ add: fc.boolean(), address: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const list = new AddressList();
        const model = new Set<number>();
        for (const o of ops) {
          if (o.add) {
            expect(list.add(o.address)).toBe(!model.has(o.address));
            model.add(o.address);
          } else {
            expect(list.delete(o.address)).toBe(model.has(o.address));
            model.delete(o.address);
          }
          expect(list.size).toBe(model.size);
        }
        for (let a = 0; a <= 40; a++) expect(list.has(a)).toBe(model.has(a));
      }),
    );
  });

  it("refuses what cannot be an address", () => {
    expect(() => new AddressList().add(-1)).toThrow(/address must be an integer in \[0, 2\^31\), got -1/);
  });
});
