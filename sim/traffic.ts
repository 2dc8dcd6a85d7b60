/**
 * Byte accounting by category and direction, where messages are sent and where they arrive. Counters are
 * per metrics window (reset by the metrics writer) plus run totals, and the fate of every message sent, so a
 * run can show that no byte went unaccounted for.
 */
export const HEADER_BYTES = 28; // IP (20) + UDP (8)

export class Traffic {
  readonly categories: string[] = [];
  private readonly index = new Map<string, number>();
  /** Bytes sent / received per category in the current window. */
  windowSent = new Float64Array(8);
  windowReceived = new Float64Array(8);
  /** Bytes sent per category since statistics started (after warm-up). */
  statsSent = new Float64Array(8);
  statsReceived = new Float64Array(8);
  collecting = false;

  // Fate of every message (whole run): sent = delivered + droppedQueue + droppedLoss + lostToDeadNodes + in flight.
  messagesSent = 0;
  messagesDelivered = 0;
  messagesDroppedQueue = 0;
  messagesDroppedLoss = 0;
  messagesLostToDeadNodes = 0;

  category(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.categories.length;
      this.categories.push(name);
      this.index.set(name, i);
      if (i >= this.windowSent.length) this.grow();
    }
    return i;
  }

  countSent(category: number, bytes: number): void {
    this.messagesSent++;
    this.windowSent[category] += bytes;
    if (this.collecting) this.statsSent[category] += bytes;
  }

  countReceived(category: number, bytes: number): void {
    this.messagesDelivered++;
    this.windowReceived[category] += bytes;
    if (this.collecting) this.statsReceived[category] += bytes;
  }

  get messagesInFlight(): number {
    return (
      this.messagesSent -
      this.messagesDelivered -
      this.messagesDroppedQueue -
      this.messagesDroppedLoss -
      this.messagesLostToDeadNodes
    );
  }

  resetWindow(): void {
    this.windowSent.fill(0);
    this.windowReceived.fill(0);
  }

  private grow(): void {
    const size = this.windowSent.length * 2;
    const widen = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.windowSent = widen(this.windowSent);
    this.windowReceived = widen(this.windowReceived);
    this.statsSent = widen(this.statsSent);
    this.statsReceived = widen(this.statsReceived);
  }
}
