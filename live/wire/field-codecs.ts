import type { WireField } from "../../sim/runtime/index.js";
import type { Reader, Writer } from "./bytes.js";
import type { MessageCodec } from "./codec.js";

/**
 * One field's encoding. Made once per field when a codec is created, so encoding walks an array of these with no
 * closure or lookup per field. `write` throws a RangeError saying what is wrong with the value; the message codec
 * adds the message type and field name.
 */
export interface FieldCodec {
  write(out: Writer, value: unknown): void;
  read(input: Reader): unknown;
}

const ID_BYTES = 20;
const ID_PATTERN = /^[0-9a-f]{40}$/;
const MAX_COUNT = 0xffff;

const describe = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v.length > 48 ? v.slice(0, 48) + "…" : v) : Array.isArray(v) ? `an array of ${v.length}` : String(v));

// Checks that throw saying what is wrong, `part` naming the part of a compound field ("" for a whole field).
function checkUnsigned(v: unknown, max: number, part: string): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${part}${describe(v)} is not an integer in [0, ${max}]`);
}

function checkFloat32(v: unknown, part: string): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) throw new RangeError(`${part}${describe(v)} is not a finite number within a 4-byte float's range`);
}

function checkId(v: unknown, part: string): asserts v is string {
  if (typeof v !== "string" || !ID_PATTERN.test(v)) throw new RangeError(`${part}${describe(v)} is not an identifier of 40 lowercase hex digits`);
}

class UnsignedCodec implements FieldCodec {
  private readonly max: number;
  constructor(private readonly bytes: 1 | 2 | 4) {
    this.max = 2 ** (8 * bytes) - 1;
  }
  write(out: Writer, v: unknown): void {
    checkUnsigned(v, this.max, "");
    if (this.bytes === 1) out.u8(v);
    else if (this.bytes === 2) out.u16(v);
    else out.u32(v);
  }
  read(input: Reader): number {
    return this.bytes === 1 ? input.u8() : this.bytes === 2 ? input.u16() : input.u32();
  }
}

const U8 = new UnsignedCodec(1);
const U16 = new UnsignedCodec(2);
const U32 = new UnsignedCodec(4);

/** A single float: the value comes back as `Math.fround(value)`, which is what a 4-byte float on any wire does. */
const F32: FieldCodec = {
  write(out, v) {
    checkFloat32(v, "");
    out.f32(v);
  },
  read: (input) => input.f32(),
};

const F64: FieldCodec = {
  write(out, v) {
    if (typeof v !== "number") throw new RangeError(`${describe(v)} is not a number`);
    out.f64(v);
  },
  read: (input) => input.f64(),
};

const BOOL: FieldCodec = {
  write(out, v) {
    if (typeof v !== "boolean") throw new RangeError(`${describe(v)} is not a boolean`);
    out.u8(v ? 1 : 0);
  },
  read(input) {
    const b = input.u8();
    if (b > 1) throw new RangeError(`boolean byte ${b} is neither 0 nor 1`);
    return b === 1;
  },
};

const ID: FieldCodec = {
  write(out, v) {
    checkId(v, "");
    out.hex(v, ID_BYTES);
  },
  read: (input) => input.hex(ID_BYTES),
};

/** A contact: address then identifier. Only those two go on the wire (a Peer's cached ring point does not). */
const CONTACT: FieldCodec = {
  write(out, v) {
    if (typeof v !== "object" || v === null) throw new RangeError(`${describe(v)} is not a contact`);
    const { address, id } = v as { address: unknown; id: unknown };
    checkUnsigned(address, 0xffffffff, "address: ");
    checkId(id, "id: ");
    out.u32(address);
    out.hex(id, ID_BYTES);
  },
  read: (input) => ({ address: input.u32(), id: input.hex(ID_BYTES) }),
};

/** Vivaldi's `{ x, height, error }`: a count of dimensions, then every number as a single float. */
const COORDINATE: FieldCodec = {
  write(out, v) {
    if (typeof v !== "object" || v === null) throw new RangeError(`${describe(v)} is not a coordinate`);
    const { x, height, error } = v as { x: unknown; height: unknown; error: unknown };
    if (!Array.isArray(x) || x.length > 0xff) throw new RangeError(`x: ${describe(x)} is not an array of at most 255 components`);
    out.u8(x.length);
    for (let i = 0; i < x.length; i++) {
      checkFloat32(x[i], "x: ");
      out.f32(x[i]);
    }
    checkFloat32(height, "height: ");
    checkFloat32(error, "error: ");
    out.f32(height);
    out.f32(error);
  },
  read(input) {
    const n = input.u8();
    const x: number[] = new Array(n);
    for (let i = 0; i < n; i++) x[i] = input.f32();
    return { x, height: input.f32(), error: input.f32() };
  },
};

/** The upper layer's object, as its own codec encodes it, behind a u16 length. */
class PayloadCodec implements FieldCodec {
  constructor(private readonly upper: MessageCodec | undefined) {}
  write(out: Writer, v: unknown): void {
    if (this.upper === undefined) throw new RangeError("a payload needs the upper layer's wire format (createCodec's `payload` codec)");
    const bytes = this.upper.encode(v);
    if (bytes.length > MAX_COUNT) throw new RangeError(`payload of ${bytes.length} bytes exceeds ${MAX_COUNT}`);
    out.u16(bytes.length);
    out.bytes(bytes);
  }
  read(input: Reader): unknown {
    if (this.upper === undefined) throw new RangeError("a payload needs the upper layer's wire format (createCodec's `payload` codec)");
    return this.upper.decode(input.bytes(input.u16()));
  }
}

class ListCodec implements FieldCodec {
  constructor(private readonly element: FieldCodec) {}
  write(out: Writer, v: unknown): void {
    if (!Array.isArray(v) || v.length > MAX_COUNT) throw new RangeError(`${describe(v)} is not a list of at most ${MAX_COUNT}`);
    out.u16(v.length);
    for (let i = 0; i < v.length; i++) {
      // The index only matters when an element fails: look it up then, not per element.
      try {
        this.element.write(out, v[i]);
      } catch (e) {
        throw new RangeError(`[${i}]: ${(e as Error).message}`, { cause: e });
      }
    }
  }
  read(input: Reader): unknown[] {
    const n = input.u16();
    // Each element takes at least a byte: a count beyond what is left is malformed, not a reason to allocate.
    if (n > input.left) throw new RangeError(`truncated: a list of ${n} in ${input.left} bytes`);
    const list: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) list[i] = this.element.read(input);
    return list;
  }
}

class NullableCodec implements FieldCodec {
  constructor(private readonly inner: FieldCodec) {}
  write(out: Writer, v: unknown): void {
    if (v === null) return out.u8(0);
    out.u8(1);
    this.inner.write(out, v);
  }
  read(input: Reader): unknown {
    const flag = input.u8();
    if (flag > 1) throw new RangeError(`null flag ${flag} is neither 0 nor 1`);
    return flag === 0 ? null : this.inner.read(input);
  }
}

class OneOfCodec implements FieldCodec {
  private readonly index = new Map<string, number>();
  constructor(private readonly values: readonly string[]) {
    if (values.length === 0 || values.length > 0x100) throw new RangeError(`a oneOf needs 1 to 256 strings, not ${values.length}`);
    values.forEach((s, i) => this.index.set(s, i));
  }
  write(out: Writer, v: unknown): void {
    const i = typeof v === "string" ? this.index.get(v) : undefined;
    if (i === undefined) throw new RangeError(`${describe(v)} is not one of ${this.values.join(", ")}`);
    out.u8(i);
  }
  read(input: Reader): string {
    const i = input.u8();
    if (i >= this.values.length) throw new RangeError(`index ${i} names none of ${this.values.length} strings`);
    return this.values[i];
  }
}

/** The codec of one declared field; `payload` is the upper layer's codec for `payload` fields. */
export function fieldCodec(field: WireField, payload: MessageCodec | undefined): FieldCodec {
  if (typeof field === "object") {
    if ("list" in field) return new ListCodec(fieldCodec(field.list, payload));
    if ("nullable" in field) return new NullableCodec(fieldCodec(field.nullable, payload));
    return new OneOfCodec(field.oneOf);
  }
  switch (field) {
    case "u8":
      return U8;
    case "u16":
      return U16;
    case "u32":
    case "address":
      return U32;
    case "f32":
      return F32;
    case "f64":
      return F64;
    case "bool":
      return BOOL;
    case "id":
      return ID;
    case "contact":
      return CONTACT;
    case "coordinate":
      return COORDINATE;
    case "payload":
      return new PayloadCodec(payload);
  }
}
