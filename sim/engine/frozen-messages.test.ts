import { describe, expect, it } from "vitest";
import { Invariants, InvariantViolation } from "./invariants.js";
import { freezeMessage, messageChanged } from "./frozen-messages.js";

/** A class that caches a value when first asked, as a protocol's peers do. */
class Cached {
  private cache: number | undefined = undefined;
  get value(): number {
    return (this.cache ??= 42);
  }
}

/** What `change` throws, in strict mode as module code is. */
function thrown(change: () => void): unknown {
  try {
    change();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("freezeMessage", () => {
  it("freezes a message down through its plain objects and arrays, and leaves objects of a class alone", () => {
    const peer = new Cached();
    const shared = [{ address: 1, id: "a" }];
    const m = { t: "leafset", leaves: shared, again: shared, coordinate: { x: [1, 2], height: 3 }, peer, n: 1, none: null };
    freezeMessage(m);
    for (const part of [m, m.leaves, m.leaves[0], m.coordinate, m.coordinate.x]) expect(Object.isFrozen(part)).toBe(true);
    expect(Object.isFrozen(peer)).toBe(false);
    expect(peer.value).toBe(42);
    expect(thrown(() => (m.n = 2))).toBeInstanceOf(TypeError);
    expect(thrown(() => m.leaves.push({ address: 2, id: "b" }))).toBeInstanceOf(TypeError);
    expect(thrown(() => (m.coordinate.x[0] = 5))).toBeInstanceOf(TypeError);
    // Reading, copying and spreading are as before.
    expect({ ...m, n: 3 }.leaves).toBe(shared);
    expect([...m.leaves, { address: 2, id: "b" }]).toHaveLength(2);
  });

  it("takes a cycle, a part already frozen and a message that is not an object", () => {
    const a: Record<string, unknown> = { t: "a" };
    a.self = a;
    freezeMessage(a);
    expect(Object.isFrozen(a)).toBe(true);
    freezeMessage(a);
    freezeMessage("x");
    freezeMessage(null);
  });
});

describe("messageChanged", () => {
  const invariants = new Invariants(true, 7);

  it("turns a write to a frozen message into an invariant violation naming node, time, seed and field", () => {
    const m = Object.freeze({ t: "ping", nonce: 3, path: Object.freeze([1]) });
    for (const [change, words] of [
      [() => ((m as { nonce: number }).nonce = 4), "Cannot assign to read only property 'nonce'"],
      [() => (m.path as number[]).push(2), "Cannot add property 1"],
      [() => delete (m as { t?: string }).t, "Cannot delete property 't'"],
    ] as const) {
      const error = thrown(change);
      const violation = messageChanged(error, invariants, 1_234_500, "10.0.0.1:4001");
      expect(violation).toBeInstanceOf(InvariantViolation);
      expect((violation as Error).message).toMatch(/^invariant violated at simulated time 1234\.500 ms on node 10\.0\.0\.1:4001 \(seed 7\): a message was changed after it was sent/);
      expect((violation as Error).message).toContain(words);
      expect((violation as Error).cause).toBe(error);
    }
  });

  it("leaves every other error as it is", () => {
    const other = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(messageChanged(other, invariants, 0, "n")).toBe(other);
    const range = new RangeError("Cannot assign to read only property 'x'");
    expect(messageChanged(range, invariants, 0, "n")).toBe(range);
  });
});
