import type { WireFormat } from "../../sim/runtime/index.js";
import { Reader, Writer } from "./bytes.js";
import { type FieldCodec, fieldCodec } from "./field-codecs.js";

export interface MessageCodec {
  /** The message's type as the wire report names it (its `t`). */
  typeOf(message: unknown): string;
  /** Encodes into a fresh Uint8Array (or Buffer). Throws (naming type and field) on a message the format does not describe. */
  encode(message: unknown): Uint8Array;
  /**
   * The message back, as a plain object with the same keys; throws on malformed or truncated bytes. Numbers come
   * back exact, except `f32` fields (and coordinates), which come back as `Math.fround` of what was sent.
   */
  decode(bytes: Uint8Array): unknown;
}

/** A message type made ready to encode: its index (the datagram's first byte) and its fields' codecs in wire order. */
interface CompiledType {
  readonly name: string;
  readonly index: number;
  readonly fields: readonly string[];
  readonly codecs: readonly FieldCodec[];
}

const MAX_TYPES = 0x100;

/**
 * The codec of a protocol's messages, from its wire format: a byte for the message type (its place in the
 * format), then each field in the order declared. `payload` encodes the objects carried for the layer above;
 * without it, a message carrying one cannot be encoded.
 */
export function createCodec(format: WireFormat, payload?: MessageCodec): MessageCodec {
  const names = Object.keys(format.messages);
  if (names.length > MAX_TYPES) throw new RangeError(`a wire format has at most ${MAX_TYPES} message types, not ${names.length}`);
  const byIndex: CompiledType[] = names.map((name, index) => {
    const fields = Object.keys(format.messages[name]);
    if (fields.includes("t")) throw new RangeError(`${name}: \`t\` is the message type, not a field`);
    return { name, index, fields, codecs: fields.map((f) => fieldCodec(format.messages[name][f], payload)) };
  });
  const byName = new Map(byIndex.map((c) => [c.name, c]));
  const out = new Writer();

  const typeOf = (message: unknown): string => {
    const t = typeof message === "object" && message !== null ? (message as { t?: unknown }).t : undefined;
    if (typeof t !== "string") throw new RangeError(`not a message: ${typeof message === "object" ? "no string `t`" : String(message)}`);
    return t;
  };

  return {
    typeOf,

    encode(message) {
      const name = typeOf(message);
      const type = byName.get(name);
      if (type === undefined) throw new RangeError(`message type ${JSON.stringify(name)} is not in the wire format`);
      const m = message as Record<string, unknown>;
      checkKeys(m, type);
      out.reset();
      out.u8(type.index);
      const { fields, codecs } = type;
      for (let i = 0; i < fields.length; i++) {
        try {
          codecs[i].write(out, m[fields[i]]);
        } catch (e) {
          throw new RangeError(`cannot encode ${name} message, field ${fields[i]}: ${(e as Error).message}`, { cause: e });
        }
      }
      return out.take();
    },

    decode(bytes) {
      const input = new Reader(bytes);
      let index: number;
      try {
        index = input.u8();
      } catch (e) {
        throw new RangeError("cannot decode an empty datagram", { cause: e });
      }
      const type = byIndex[index];
      if (type === undefined) throw new RangeError(`cannot decode: message type index ${index} is not in the wire format (${byIndex.length} types)`);
      const m: Record<string, unknown> = { t: type.name };
      const { fields, codecs } = type;
      for (let i = 0; i < fields.length; i++) {
        try {
          m[fields[i]] = codecs[i].read(input);
        } catch (e) {
          throw new RangeError(`cannot decode ${type.name} message, field ${fields[i]}: ${(e as Error).message}`, { cause: e });
        }
      }
      if (input.left !== 0) throw new RangeError(`cannot decode ${type.name} message: ${input.left} bytes left over after its last field`);
      return m;
    },
  };
}

/** A field the format does not declare would be lost on the wire: refuse the message rather than drop it silently. */
function checkKeys(m: Record<string, unknown>, type: CompiledType): void {
  let keys = 0;
  for (const _ in m) keys++;
  if (keys === type.fields.length + 1) return;
  for (const key in m) {
    if (key !== "t" && !type.fields.includes(key)) throw new RangeError(`cannot encode ${type.name} message, field ${key}: not in the wire format`);
  }
  // Too few keys: the missing field's codec names it (its value is undefined).
}
