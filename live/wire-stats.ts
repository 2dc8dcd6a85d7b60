import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A message type's traffic on the wire: what the protocol declared to `send` and what its encoding took. */
export interface WireTypeStats {
  messages: number;
  declaredBytes: number;
  encodedBytes: number;
}

/** Bytes per message type, declared and encoded, over a live run. */
export class WireStats {
  private readonly byType = new Map<string, WireTypeStats>();

  count(type: string, declared: number, encoded: number): void {
    let s = this.byType.get(type);
    if (s === undefined) this.byType.set(type, (s = { messages: 0, declaredBytes: 0, encodedBytes: 0 }));
    s.messages++;
    s.declaredBytes += declared;
    s.encodedBytes += encoded;
  }

  /** Message types in order of name, for a stable file. */
  rows(): [string, WireTypeStats][] {
    return [...this.byType.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * wire.csv: per message type, messages sent, mean declared and encoded payload (bytes above UDP) and their
   * ratio. `encoded` is the message's encoding alone, without the emulator's per-datagram header.
   */
  write(dir: string): void {
    const lines = ["message_type,messages,declared_bytes_mean,encoded_bytes_mean,encoded_over_declared"];
    for (const [type, s] of this.rows()) {
      const declared = s.declaredBytes / s.messages;
      const encoded = s.encodedBytes / s.messages;
      lines.push(`${type},${s.messages},${declared.toFixed(1)},${encoded.toFixed(1)},${declared > 0 ? (encoded / declared).toFixed(3) : ""}`);
    }
    writeFileSync(join(dir, "wire.csv"), `${lines.join("\n")}\n`);
  }
}
