import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiveSet } from "./live-set.js";

describe("LiveSet", () => {
  it("holds exactly the members a Set would after any sequence of adds and removes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }))), (ops) => {
        const live = new LiveSet();
        const model = new Set<number>();
        for (const [add, x] of ops) {
          if (add) {
            live.add(x);
            model.add(x);
          } else {
            live.remove(x);
            model.delete(x);
          }
        }
        expect(live.size).toBe(model.size);
        const members = new Set(Array.from({ length: live.size }, (_, i) => live.at(i)));
        expect(members).toEqual(model);
        for (const x of model) expect(live.has(x)).toBe(true);
      }),
    );
  });
});
