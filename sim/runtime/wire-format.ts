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
  /**
   * The sizes the protocol's declared sizes give a message's parts, where its cost model counts them differently
   * from the codec (which spends 1 byte on the type, 20 on an identifier, 4 on an address, 24 on a contact): the
   * wire-size report recounts each message at these sizes to check that the declaration counts what is carried.
   */
  readonly layout?: WireLayout;
}

export interface WireLayout {
  /** Bytes before the fields: transport header and message type. */
  readonly header: number;
  readonly identifier: number;
  readonly address: number;
  /** A node reference: address and identifier. */
  readonly contact: number;
  /**
   * Fields, by name, the cost model sizes differently: 0 for one it counts in the header (a nonce in a transport
   * header's sequence number, a kind in the message type) or not at all (simulation bookkeeping).
   */
  readonly fields?: Readonly<Record<string, number>>;
  /** Why a message type's declared size differs from its recount at the cost model, where it does by design. */
  readonly notes?: Readonly<Record<string, string>>;
}

/**
 * A wire format checked against a protocol's message union: exactly its message types, each with exactly its
 * fields (apart from `t`), so a field added to a message and forgotten here fails to compile.
 */
export interface WireFormatOf<M extends { t: string }> extends WireFormat {
  readonly messages: { readonly [T in M["t"]]: { readonly [K in Exclude<keyof Extract<M, { t: T }>, "t">]-?: WireField } };
}
