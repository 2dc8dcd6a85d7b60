/**
 * A protocol's messages as they go on a real wire: each message type (its `t`) and its fields in wire order, so
 * one generic codec can turn any protocol's messages into compact datagrams without the protocol knowing bytes.
 * Declarative only: nothing here runs on the simulator's path.
 */
export type WireField =
  | "u8"
  | "u16"
  | "u32"
  /** 4-byte float: a value comes back as `Math.fround` of what was sent, as on any wire of single floats. */
  | "f32"
  | "f64"
  | "bool"
  /** A 160-bit identifier (40 lowercase hex digits): 20 bytes. */
  | "id"
  /** An `Address` (an integer below 2^32): 4 bytes. */
  | "address"
  /** A `Contact`, its address then its identifier: 24 bytes. */
  | "contact"
  /** A Vivaldi coordinate `{ x, height, error }`: a u8 count of dimensions, then each component, height and error as f32. */
  | "coordinate"
  /** An object carried for the layer above (storage), encoded by that layer's codec: a u16 length then its bytes. */
  | "payload"
  /** A u16 count, then the elements. */
  | { readonly list: WireField }
  /** A u8 flag (0: null), then the value when present. */
  | { readonly nullable: WireField }
  /** A string from a fixed set, sent as its u8 index in the set. */
  | { readonly oneOf: readonly string[] };

export interface WireFormat {
  /** Each message type (value of `t`) and its fields, in wire order. Field names are the object's keys. */
  readonly messages: Readonly<Record<string, Readonly<Record<string, WireField>>>>;
  /** One sentence: where the protocol's declared sizes come from, for the wire-size report. */
  readonly costModel: string;
}

/**
 * A wire format checked against a protocol's message union: exactly its message types, each with exactly its
 * fields (apart from `t`), so a field added to a message and forgotten here fails to compile.
 */
export interface WireFormatOf<M extends { t: string }> extends WireFormat {
  readonly messages: { readonly [T in M["t"]]: { readonly [K in Exclude<keyof Extract<M, { t: T }>, "t">]-?: WireField } };
}
