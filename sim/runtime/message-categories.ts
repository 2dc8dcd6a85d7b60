/**
 * The traffic category (`bandwidth.csv`, `summary.json`) each of a protocol's message types is counted under,
 * declared once beside its messages: the README's table for the protocol says the same, and a test checks whole
 * runs of every protocol against it, so maintenance traffic counted as lookups (or the reverse) is noticed.
 * Typed by the protocol's messages, a table names each message type, and no other.
 */
export type MessageCategories<M extends { t: string } = { t: string }> = Readonly<Record<M["t"], Counted>>;

export type Counted =
  /** Always this category. */
  | { readonly category: string }
  /** By the message's own `kind` field: the category for each kind (a list: one of them, by what it carries). */
  | { readonly byKind: Readonly<Record<string, string | readonly string[]>> }
  /** A reply counted with the request it answers, the message type named (matched by nonce). */
  | { readonly answers: string }
  /** One of these by what the message is sent for; `when` says which, naming each category in backquotes. */
  | { readonly oneOf: readonly string[]; readonly when: string };
