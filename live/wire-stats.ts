import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A message type's traffic on the wire: what the protocol declared to `send` and what its encoding took. */
export interface WireTypeStats {
  messages: number;
  declaredBytes: number;
  encodedBytes: number;
  /** The encoding recounted at the protocol's cost model (header, identifier, address and contact sizes). */
  layoutBytes: number;
}

/** A declaration within this share of the message's size at the cost model counts what the message carries. */
export const LAYOUT_TOLERANCE = 0.1;

/** Bytes per message type, declared and encoded, over a live run. */
export class WireStats {
  private readonly byType = new Map<string, WireTypeStats>();

  constructor(
    private readonly atLayout: (message: unknown, encodedBytes: number) => number,
    /** Why a type's declaration differs from its recount, where it does by design (the format's layout notes). */
    private readonly notes: Readonly<Record<string, string>> = {},
  ) {}

  count(type: string, message: unknown, declared: number, encoded: number): void {
    let s = this.byType.get(type);
    if (s === undefined) this.byType.set(type, (s = { messages: 0, declaredBytes: 0, encodedBytes: 0, layoutBytes: 0 }));
    s.messages++;
    s.declaredBytes += declared;
    s.encodedBytes += encoded;
    s.layoutBytes += this.atLayout(message, encoded);
  }

  /** Message types whose declared size is within LAYOUT_TOLERANCE of their size at the cost model, and all types. */
  agreement(): { within: number; types: number; outside: string[]; unexplained: string[] } {
    const outside = this.rows()
      .filter(([, s]) => !agrees(s))
      .map(([type]) => type);
    return { within: this.byType.size - outside.length, types: this.byType.size, outside, unexplained: outside.filter((t) => this.notes[t] === undefined) };
  }

  /** Message types in order of name, for a stable file. */
  rows(): [string, WireTypeStats][] {
    return [...this.byType.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * wire.csv: per message type, messages sent and the mean payload (bytes above UDP) three ways: declared to
   * `send`, encoded (the message alone, without the emulator's per-datagram header), and the encoding recounted at
   * the protocol's cost model; then the last over the first.
   */
  write(dir: string): void {
    const lines = ["message_type,messages,declared_bytes_mean,encoded_bytes_mean,cost_model_bytes_mean,cost_model_over_declared,note"];
    for (const [type, s] of this.rows()) {
      const declared = s.declaredBytes / s.messages;
      const encoded = s.encodedBytes / s.messages;
      const layout = s.layoutBytes / s.messages;
      const note = agrees(s) ? "" : (this.notes[type] ?? "the declaration does not count what the message carries: fix the declared size or the wire format");
      lines.push(`${type},${s.messages},${declared.toFixed(1)},${encoded.toFixed(1)},${layout.toFixed(1)},${declared > 0 ? (layout / declared).toFixed(3) : ""},${csvText(note)}`);
    }
    writeFileSync(join(dir, "wire.csv"), `${lines.join("\n")}\n`);
  }
}

/** Declared within LAYOUT_TOLERANCE of the size at the cost model. */
const agrees = (s: WireTypeStats) => Math.abs(s.declaredBytes - s.layoutBytes) <= LAYOUT_TOLERANCE * s.layoutBytes;

/** A CSV field: quoted when it holds a comma or a quote. */
const csvText = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
