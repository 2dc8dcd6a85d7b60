import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockwise, clockwiseBefore, closerTo, digitAt, peerOf, RING, ringGap, ringPoint, sharedDigits, withPrefix } from "./identifiers.js";

const hex = (v: bigint) => v.toString(16).padStart(40, "0");
const hexId = fc.bigInt({ min: 0n, max: RING - 1n }).map(hex);
const point = (v: bigint) => ringPoint(hex(v));
/** Ring positions that often share their first 52 bits or sit a unit or two apart there, where the fast test cannot decide. */
const UNIT = 1n << 108n;
const clustered = fc
  .tuple(fc.constantFrom(0n, UNIT, RING / 2n, RING - UNIT), fc.bigInt({ min: -3n * UNIT, max: 3n * UNIT }))
  .map(([base, offset]) => (((base + offset) % RING) + RING) % RING);
const position = fc.oneof(clustered, fc.bigInt({ min: 0n, max: RING - 1n }));

describe("identifiers", () => {
  it("measures the ring both ways", () => {
    expect(clockwise(RING - 1n, 1n)).toBe(2n);
    expect(ringGap(RING - 1n, 1n)).toBe(2n);
    expect(ringGap(0n, RING / 2n + 5n)).toBe(RING / 2n - 5n);
    fc.assert(fc.property(hexId, hexId, (a, b) => ringGap(peerOf({ address: 0, id: a }).value, peerOf({ address: 1, id: b }).value) <= RING / 2n));
  });

  it("keeps a peer received as a contact as it is, so every table naming a node shares one object", () => {
    fc.assert(
      fc.property(hexId, fc.nat(), (id, address) => {
        const fromData = peerOf({ address, id });
        expect(fromData.value).toBe(BigInt(`0x${id}`));
        expect(peerOf(fromData)).toBe(fromData);
        expect(peerOf({ address, id })).not.toBe(fromData);
      }),
    );
  });

  it("breaks distance ties clockwise from the key", () => {
    expect(closerTo(point(10n), point(12n), point(8n))).toBe(true);
    expect(closerTo(point(10n), point(8n), point(12n))).toBe(false);
  });

  it("compares distances exactly as 160-bit arithmetic does, also where the first 52 bits cannot tell", () => {
    fc.assert(
      fc.property(position, position, position, (k, a, b) => {
        const [da, db] = [ringGap(a, k), ringGap(b, k)];
        expect(closerTo(point(k), point(a), point(b))).toBe(da !== db ? da < db : clockwise(k, a) < clockwise(k, b));
        expect(clockwiseBefore(point(k), point(a), point(b))).toBe(clockwise(k, a) < clockwise(k, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads digits and shared prefixes in base 16 and base 2", () => {
    const a = "a5".padEnd(40, "0");
    const b = "a4".padEnd(40, "0");
    expect(digitAt(a, 1, 4)).toBe(5);
    expect(sharedDigits(a, b, 4)).toBe(1);
    // 0xa5 = 1010 0101, 0xa4 = 1010 0100: seven bits in common.
    expect(sharedDigits(a, b, 1)).toBe(7);
    expect(digitAt(a, 7, 1)).toBe(1);
    expect(digitAt(b, 7, 1)).toBe(0);
    // Identical identifiers share every digit, in either base.
    expect(sharedDigits(a, a, 4)).toBe(40);
    expect(sharedDigits(a, a, 1)).toBe(160);
  });

  it("builds identifiers with a chosen prefix and next digit", () => {
    fc.assert(
      fc.property(hexId, hexId, fc.integer({ min: 0, max: 38 }), fc.constantFrom(1, 4), (id, tail, level, bits) => {
        const digit = bits === 4 ? level % 16 : level % 2;
        const levelInDigits = bits === 4 ? level : level * 4;
        const made = withPrefix(id, levelInDigits, digit, bits, tail);
        expect(made).toMatch(/^[0-9a-f]{40}$/);
        expect(sharedDigits(made, id, bits)).toBeGreaterThanOrEqual(digit === digitAt(id, levelInDigits, bits) ? levelInDigits + 1 : levelInDigits);
        expect(digitAt(made, levelInDigits, bits)).toBe(digit);
      }),
    );
  });
});
