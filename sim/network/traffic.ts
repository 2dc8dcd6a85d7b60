import { grown } from "../engine/typed-arrays.js";

/**
 * Byte accounting by category and direction, where messages are sent and where they arrive. Counters are
 * per metrics window (reset by the metrics writer) plus run totals, and the fate of every message sent, so a
 * run can show that no byte went unaccounted for.
 */
export const HEADER_BYTES = 28; // IP (20) + UDP (8)

export class Traffic {
  readonly categories: string[] = [];
  private readonly index = new Map<string, number>();
  private lastName: string | null = null;
  private lastIndex = 0;
  /** Bytes sent / received per category in the current window. */
  windowSent = new Float64Array(8);
  windowReceived = new Float64Array(8);
  /** Bytes sent per category since statistics started (after warm-up). */
  statsSent = new Float64Array(8);
  statsReceived = new Float64Array(8);
  collecting = false;

  // The fate of every message of the run, in messages and bytes:
  // sent = delivered + dropped by queues + dropped by loss (random or an injected burst) + dropped by an injected
  // partition + lost to dead nodes + in flight.
  readonly sent = new Tally();
  readonly delivered = new Tally();
  readonly droppedQueue = new Tally();
  readonly droppedLoss = new Tally();
  readonly droppedPartition = new Tally();
  readonly lostToDeadNodes = new Tally();
  /** Scheduled for arrival and not yet delivered or lost: counted directly, to check the balance. */
  readonly inFlight = new Tally();

  category(name: string): number {
    // Consecutive sends mostly share a category (a round of pings): the last one answers without a map lookup.
    if (name === this.lastName) return this.lastIndex;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.categories.length;
      this.categories.push(name);
      this.index.set(name, i);
      if (i >= this.windowSent.length) this.grow();
    }
    this.lastName = name;
    this.lastIndex = i;
    return i;
  }

  countSent(category: number, bytes: number): void {
    this.sent.add(bytes);
    this.windowSent[category] += bytes;
    if (this.collecting) this.statsSent[category] += bytes;
  }

  countReceived(category: number, bytes: number): void {
    this.delivered.add(bytes);
    this.windowReceived[category] += bytes;
    if (this.collecting) this.statsReceived[category] += bytes;
  }

  /** In flight by the balance of the ledger; equals `inFlight` unless a message went unaccounted for. */
  balance(): { messages: number; bytes: number } {
    const gone = [this.delivered, this.droppedQueue, this.droppedLoss, this.droppedPartition, this.lostToDeadNodes];
    return {
      messages: this.sent.messages - gone.reduce((a, t) => a + t.messages, 0),
      bytes: this.sent.bytes - gone.reduce((a, t) => a + t.bytes, 0),
    };
  }

  resetWindow(): void {
    this.windowSent.fill(0);
    this.windowReceived.fill(0);
  }

  private grow(): void {
    const size = this.windowSent.length * 2;
    this.windowSent = grown(this.windowSent, size);
    this.windowReceived = grown(this.windowReceived, size);
    this.statsSent = grown(this.statsSent, size);
    this.statsReceived = grown(this.statsReceived, size);
  }
}

/** A count of messages and their bytes. */
export class Tally {
  messages = 0;
  bytes = 0;

  add(bytes: number): void {
    this.messages++;
    this.bytes += bytes;
  }

  remove(bytes: number): void {
    this.messages--;
    this.bytes -= bytes;
  }

  toJSON(): { messages: number; bytes: number } {
    return { messages: this.messages, bytes: this.bytes };
  }
}
