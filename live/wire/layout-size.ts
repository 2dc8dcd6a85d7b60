import type { WireField, WireFormat, WireLayout } from "../../sim/runtime/index.js";

/** What the codec spends on the parts a cost model may count differently. */
const CODEC = { header: 1, identifier: 20, address: 4, contact: 24 } as const;
const SCALAR: Readonly<Record<string, number>> = { u8: 1, u16: 2, u32: 4, f32: 4, f64: 8, bool: 1 };

/** Bytes a field's value takes in the codec's encoding (field-codecs.ts). */
function encodedSize(field: WireField, value: unknown): number {
  if (typeof field === "string") {
    if (field in SCALAR) return SCALAR[field];
    if (field === "id") return CODEC.identifier;
    if (field === "address") return CODEC.address;
    if (field === "contact") return CODEC.contact;
    if (field === "coordinate") return 1 + 4 * ((value as { x: readonly number[] }).x.length + 2);
    return 0; // a payload: carried by the upper layer's codec, not counted here
  }
  if ("oneOf" in field) return 1;
  if ("list" in field) {
    let sum = 2;
    for (const x of value as readonly unknown[]) sum += encodedSize(field.list, x);
    return sum;
  }
  return 1 + (value === null ? 0 : encodedSize(field.nullable, value));
}

/** Bytes a field adds when recounted at `layout`'s sizes rather than the codec's. */
function extraOf(field: WireField, layout: WireLayout): (value: unknown) => number {
  if (field === "id") return () => layout.identifier - CODEC.identifier;
  if (field === "address") return () => layout.address - CODEC.address;
  if (field === "contact") return () => layout.contact - CODEC.contact;
  if (typeof field === "string" || "oneOf" in field) return () => 0;
  if ("list" in field) {
    const element = extraOf(field.list, layout);
    return (v) => {
      let sum = 0;
      for (const x of v as readonly unknown[]) sum += element(x);
      return sum;
    };
  }
  const inner = extraOf(field.nullable, layout);
  return (v) => (v === null ? 0 : inner(v));
}

/**
 * A message's size at its protocol's cost model (`format.layout`), from its encoded size: what the protocol
 * should declare if its declaration counts every part it carries. Identity when the format has no layout.
 */
export function layoutSizer(format: WireFormat): (message: unknown, encodedBytes: number) => number {
  const layout = format.layout;
  if (layout === undefined) return (_m, encoded) => encoded;
  const byType = new Map(
    Object.entries(format.messages).map(([type, fields]) => [
      type,
      Object.entries(fields).map(([name, field]): [string, (v: unknown) => number] => {
        const fixed = layout.fields?.[name];
        return [name, fixed === undefined ? extraOf(field, layout) : (v) => fixed - encodedSize(field, v)];
      }),
    ]),
  );
  return (message, encoded) => {
    const m = message as Record<string, unknown>;
    let size = encoded + layout.header - CODEC.header;
    for (const [name, extra] of byType.get(m.t as string) ?? []) size += extra(m[name]);
    return size;
  };
}
