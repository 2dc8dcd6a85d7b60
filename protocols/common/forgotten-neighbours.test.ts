import { describe, expect, it } from "vitest";
import { peerOf } from "./identifiers.js";
import { ForgottenNeighbours } from "./forgotten-neighbours.js";

const peer = (address: number) => peerOf({ address, id: address.toString(16).padStart(40, "0") });

describe("forgotten neighbours", () => {
  it("are handed out in turn, the oldest dropped past the bound and expired ones skipped", () => {
    const f = new ForgottenNeighbours(3);
    for (const [address, expires] of [[1, 100], [2, 50], [3, 100], [4, 100]]) f.add(peer(address), expires);
    // 1 fell off the bound; 2 expires at 50.
    expect([f.next(10), f.next(10), f.next(10), f.next(10)].map((p) => p?.address)).toEqual([2, 3, 4, 2]);
    expect([f.next(60), f.next(60), f.next(60)].map((p) => p?.address)).toEqual([3, 4, 3]);
    f.delete(3);
    expect(f.next(60)?.address).toBe(4);
    expect(f.next(100)).toBeNull();
    expect(f.size).toBe(0);
  });

  it("hold a node once, however often it is forgotten", () => {
    const f = new ForgottenNeighbours(4);
    f.add(peer(7), 100);
    f.add(peer(7), 200);
    expect(f.size).toBe(1);
    expect(f.next(150)?.address).toBe(7);
  });
});
