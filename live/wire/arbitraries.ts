import fc from "fast-check";
import type { WireField, WireFormat } from "../../sim/runtime/index.js";
import type { MessageCodec } from "./codec.js";

/**
 * Test support: well-formed messages drawn from a wire format itself, so a message type or field added to a
 * protocol's format is exercised without touching the tests; and what such a message decodes to.
 */

const f32 = fc.double({ noNaN: true, min: -1e30, max: 1e30 });

/** A stand-in for the upper layer's payloads: `{ n }` objects in 4 bytes. */
export const stubPayload: MessageCodec = {
  typeOf: () => "payload",
  encode(message) {
    const n = (message as { n: number }).n;
    const out = Buffer.alloc(4);
    out.writeUInt32BE(n);
    return out;
  },
  decode(bytes) {
    if (bytes.length !== 4) throw new RangeError(`stub payload of ${bytes.length} bytes`);
    return { n: Buffer.from(bytes).readUInt32BE(0) };
  },
};

export function fieldArbitrary(field: WireField): fc.Arbitrary<unknown> {
  if (typeof field === "object") {
    if ("list" in field) return fc.array(fieldArbitrary(field.list), { maxLength: 12 });
    if ("nullable" in field) return fc.option(fieldArbitrary(field.nullable), { nil: null });
    return fc.constantFrom(...field.oneOf);
  }
  switch (field) {
    case "u8":
      return fc.integer({ min: 0, max: 0xff });
    case "u16":
      return fc.integer({ min: 0, max: 0xffff });
    case "u32":
    case "address":
      return fc.integer({ min: 0, max: 0xffffffff });
    case "f32":
      return f32;
    case "f64":
      return fc.double();
    case "bool":
      return fc.boolean();
    case "id":
      return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => Buffer.from(b).toString("hex"));
    case "contact":
      return fc.record({ address: fieldArbitrary("address"), id: fieldArbitrary("id") });
    case "coordinate":
      return fc.record({ x: fc.array(f32, { maxLength: 8 }), height: f32, error: f32 });
    case "payload":
      return fc.record({ n: fc.integer({ min: 0, max: 0xffffffff }) });
  }
}

/** Messages of type `t` of `format`. */
export function messageArbitrary(format: WireFormat, t: string): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(format.messages[t]).map(([name, field]) => [name, fieldArbitrary(field)]));
  return fc.record(fields).map((m) => ({ t, ...m }));
}

/** `value` as it comes off the wire: single floats rounded, contacts reduced to address and identifier. */
export function decodedField(field: WireField, value: unknown): unknown {
  if (typeof field === "object") {
    if ("list" in field) return (value as unknown[]).map((v) => decodedField(field.list, v));
    if ("nullable" in field) return value === null ? null : decodedField(field.nullable, value);
    return value;
  }
  switch (field) {
    case "f32":
      return Math.fround(value as number);
    case "contact": {
      const c = value as { address: number; id: string };
      return { address: c.address, id: c.id };
    }
    case "coordinate": {
      const c = value as { x: readonly number[]; height: number; error: number };
      return { x: c.x.map(Math.fround), height: Math.fround(c.height), error: Math.fround(c.error) };
    }
    default:
      return value;
  }
}

export function decodedMessage(format: WireFormat, m: Record<string, unknown>): Record<string, unknown> {
  const t = m.t as string;
  return { t, ...Object.fromEntries(Object.entries(format.messages[t]).map(([name, field]) => [name, decodedField(field, m[name])])) };
}
