import { messageChanged } from "../engine/frozen-messages.js";
import type { Invariants } from "../engine/invariants.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { SimNode } from "../engine/sim-node.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { Address } from "../runtime/node-runtime.js";
import type { LinkOptions } from "../scenario/scenario.js";
import type { LatencyMatrix } from "./latency/latency-matrix.js";
import { HEADER_BYTES, type Traffic } from "./traffic.js";
import type { Transport, TransportEnd } from "./transport.js";

/** Bits per byte × µs per second: a backlog of t µs at r bits/s holds t·r / 8,000,000 bytes. */
const BIT_US_PER_BYTE_S = 8_000_000;

/** Time to put `bytes` on a link of `bitsPerSecond`, rounded once to whole µs. */
function serialisationUs(bytes: number, bitsPerSecond: number): number {
  return Math.round((bytes * BIT_US_PER_BYTE_S) / bitsPerSecond);
}

/** A message in flight. Envelopes are pooled: the network allocates none per message once warmed up. */
class Envelope {
  from: Address = 0;
  to: Address = 0;
  message: unknown = null;
  wireBytes = 0;
  category = 0;
}

/**
 * The modelled Internet between access links: a message leaves after the sender's queue drains and it is
 * serialised at the uplink rate, crosses the core with the latency matrix's one-way delay plus both access
 * delays, then, when the downlink is limited, queues at the receiver. Queues are drop-tail FIFOs of bounded
 * bytes; because they are FIFO, a queue's backlog follows from the time its link becomes free, so no event is
 * needed per queued message.
 */
export class Network implements TransportEnd {
  private readonly pool: Envelope[] = [];
  /** Current loss probability: the scenario's, or an injected burst's while it lasts. */
  lossRate: number;
  /** While a partition is injected: the side of each host (0 or 1); null otherwise. */
  partition: Uint8Array | null = null;
  private readonly arriveHandler = (e: Envelope) => this.arrive(e);
  private readonly deliverHandler = (e: Envelope) => this.deliver(e);

  constructor(
    private readonly scheduler: Scheduler,
    private readonly latency: LatencyMatrix,
    private readonly nodes: readonly (SimNode | undefined)[],
    private readonly traffic: Traffic,
    readonly links: LinkOptions,
    private readonly random: SeededRandom,
    private readonly invariants: Invariants,
    /** In a live run: the sockets that carry what the model lets through; null in simulation. */
    private readonly transport: Transport | null = null,
  ) {
    this.lossRate = links.lossRate;
    transport?.attach(this);
  }

  /** One-way delay between two nodes in ms, as the network applies it before queueing. */
  delayMs(a: SimNode, b: SimNode): number {
    return msFromUs(this.delayUs(a, b));
  }

  /** The same in whole µs: the matrix's delay rounded once, plus both access delays (whole µs when drawn). */
  private delayUs(a: SimNode, b: SimNode): number {
    if (a === b) return 0;
    return usFromMs(this.latency.oneWayMs(a.host, b.host)) + a.accessDelayUs + b.accessDelayUs;
  }

  send(sender: SimNode, to: Address, message: unknown, bytes: number, category: number): void {
    const wireBytes = bytes + HEADER_BYTES;
    const traffic = this.traffic;
    traffic.countSent(category, wireBytes);
    const now = this.scheduler.nowUs;
    let departure = now;
    const uplink = sender.uplinkOverrideBps > 0 ? sender.uplinkOverrideBps : this.links.uplinkBps;
    if (uplink > 0) {
      const start = sender.uplinkFreeAt > now ? sender.uplinkFreeAt : now;
      const backlogBytes = ((start - now) * uplink) / BIT_US_PER_BYTE_S;
      if (backlogBytes + wireBytes > this.links.queueBytes) {
        traffic.droppedQueue.add(wireBytes);
        return;
      }
      departure = start + serialisationUs(wireBytes, uplink);
      sender.uplinkFreeAt = departure;
    }
    if (this.lossRate > 0 && this.random.next() < this.lossRate) {
      traffic.droppedLoss.add(wireBytes);
      return;
    }
    const receiver = this.nodes[to];
    if (receiver === undefined) {
      traffic.lostToDeadNodes.add(wireBytes);
      return;
    }
    if (this.partition !== null && this.partition[sender.host] !== this.partition[receiver.host]) {
      traffic.droppedPartition.add(wireBytes);
      return;
    }
    // Its fate is already known (a tenth of Bamboo's messages under Kazaa churn are pings to departed nodes).
    if (receiver.retired) {
      traffic.lostToDeadNodes.add(wireBytes);
      return;
    }
    traffic.inFlight.add(wireBytes);
    if (this.transport !== null) return this.transport.carry(sender, receiver, message, bytes, wireBytes, category, departure - now + this.delayUs(sender, receiver));
    this.scheduler.schedule(departure + this.delayUs(sender, receiver), this.arriveHandler, this.envelope(sender.address, to, message, wireBytes, category));
  }

  accept(from: Address, to: Address, message: unknown, wireBytes: number, category: number, atUs: number): void {
    this.scheduler.schedule(Math.max(atUs, this.scheduler.nowUs), this.arriveHandler, this.envelope(from, to, message, wireBytes, category));
  }

  lostInTransit(wireBytes: number): void {
    this.traffic.lostToDeadNodes.add(wireBytes);
    this.traffic.inFlight.remove(wireBytes);
  }

  private envelope(from: Address, to: Address, message: unknown, wireBytes: number, category: number): Envelope {
    const e = this.pool.pop() ?? new Envelope();
    e.from = from;
    e.to = to;
    e.message = message;
    e.wireBytes = wireBytes;
    e.category = category;
    return e;
  }

  private arrive(e: Envelope): void {
    const receiver = this.nodes[e.to] as SimNode;
    if (!receiver.alive) return this.lose(e);
    const downlink = this.links.downlinkBps;
    const processing = this.links.processingUs;
    if (downlink === 0 && processing === 0) return this.deliver(e);
    const now = this.scheduler.nowUs;
    let at = now;
    if (downlink > 0) {
      const start = receiver.downlinkFreeAt > now ? receiver.downlinkFreeAt : now;
      if (((start - now) * downlink) / BIT_US_PER_BYTE_S + e.wireBytes > this.links.queueBytes) {
        this.traffic.droppedQueue.add(e.wireBytes);
        return this.release(e);
      }
      at = receiver.downlinkFreeAt = start + serialisationUs(e.wireBytes, downlink);
    }
    if (processing > 0) {
      // Both queues are FIFO, so the message's turn at the CPU follows from when it leaves the downlink: one event.
      at = receiver.processingFreeAt = (receiver.processingFreeAt > at ? receiver.processingFreeAt : at) + processing;
    }
    this.scheduler.schedule(at, this.deliverHandler, e);
  }

  private deliver(e: Envelope): void {
    const receiver = this.nodes[e.to] as SimNode;
    if (!receiver.alive || receiver.protocol === null) return this.lose(e);
    if (this.invariants.enabled) this.checkDelivery(receiver, e);
    this.traffic.countReceived(e.category, e.wireBytes);
    const { from, message } = e;
    this.release(e);
    if (!this.invariants.enabled) return receiver.protocol.receive(from, message);
    try {
      receiver.protocol.receive(from, message);
    } catch (error) {
      throw messageChanged(error, this.invariants, this.scheduler.nowUs, receiver.label);
    }
  }

  private checkDelivery(receiver: SimNode, e: Envelope): void {
    const now = this.scheduler.nowUs;
    if (receiver.runtime?.active !== true) this.invariants.fail(`a message from ${e.from} reached a node after it departed`, now, receiver.label);
    this.invariants.time(now, receiver.label);
    const balance = this.traffic.balance();
    const flying = this.traffic.inFlight;
    if (balance.messages !== flying.messages || balance.bytes !== flying.bytes) {
      this.invariants.fail(
        `byte conservation: sent − delivered − dropped − lost = ${balance.messages} messages / ${balance.bytes} bytes, but ${flying.messages} / ${flying.bytes} are in flight`,
        now,
        receiver.label,
      );
    }
  }

  private lose(e: Envelope): void {
    this.traffic.lostToDeadNodes.add(e.wireBytes);
    this.release(e);
  }

  /** The message has reached its fate (delivered, dropped or lost): it is no longer in flight. */
  private release(e: Envelope): void {
    this.traffic.inFlight.remove(e.wireBytes);
    e.message = null;
    this.pool.push(e);
  }
}
