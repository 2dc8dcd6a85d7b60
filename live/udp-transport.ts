import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { SimNode } from "../sim/engine/sim-node.js";
import type { Transport, TransportEnd } from "../sim/network/transport.js";
import type { Address } from "../sim/runtime/node-runtime.js";
import type { MessageCodec } from "./wire/codec.js";
import type { WallClock } from "./wall-clock.js";
import type { WireStats } from "./wire-stats.js";

/** Live runs stay on this machine. */
export const LOOPBACK = "127.0.0.1";

/**
 * The emulator's header before each encoded message, never counted as the protocol's bytes (ModelNet keeps such
 * state per packet too): the receiver's address (a socket's port may pass to a newer node), how long to hold the
 * message (µs: the model's queueing and one-way delay), and the model's accounting (bytes with IP/UDP headers,
 * traffic category).
 */
const HEADER = 13;
const MAX_HOLD_US = 2 ** 32 - 1;

/** Datagram counts, to tell the model's losses from real ones. */
export interface DatagramCounts {
  sent: number;
  received: number;
  /** Arrived at a socket after its node had departed (its port passed to a newer node, or the close not yet done). */
  stale: number;
}

/**
 * One UDP socket per live node on the loopback address, bound to a port the system picks. The sender encodes the
 * message and sends it at once; the receiver decodes it and hands it to the network model to be delivered after
 * the hold the header carries, so real transmission and CPU time come on top of the modelled delay.
 */
export class UdpTransport implements Transport {
  private network: TransportEnd | null = null;
  private readonly sockets = new Map<Address, Socket>();
  private readonly ports = new Map<Address, number>();
  private readonly owners = new Map<number, Address>();
  /** Datagrams to a node whose socket is still binding: sent once it listens. */
  private readonly waiting = new Map<Address, Buffer[]>();
  readonly counts: DatagramCounts = { sent: 0, received: 0, stale: 0 };
  private readonly sent = (error: Error | null) => {
    if (error !== null) this.failed(error);
  };

  constructor(
    private readonly codec: MessageCodec,
    private readonly clock: WallClock,
    private readonly wire: WireStats,
    /** Where decode time is charged (the receiving node). */
    private readonly charge: (address: Address, ms: number) => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  attach(network: TransportEnd): void {
    this.network = network;
  }

  /** Opens the node's socket; messages to it wait until it is bound. */
  open(node: SimNode): void {
    const address = node.address;
    const socket = createSocket({ type: "udp4" });
    this.sockets.set(address, socket);
    this.waiting.set(address, []);
    socket.on("error", this.failed);
    socket.on("message", (datagram: Buffer, from: RemoteInfo) => this.receive(address, datagram, from));
    socket.bind({ port: 0, address: LOOPBACK }, () => {
      if (this.sockets.get(address) !== socket) return;
      const port = socket.address().port;
      this.ports.set(address, port);
      this.owners.set(port, address);
      const queued = this.waiting.get(address) ?? [];
      this.waiting.delete(address);
      for (const datagram of queued) this.transmit(address, port, datagram);
    });
  }

  /** Closes the departed node's socket: nothing reaches it any more. */
  close(address: Address): void {
    const socket = this.sockets.get(address);
    if (socket === undefined) return;
    this.sockets.delete(address);
    // Datagrams that waited for its socket to bind are lost with it.
    for (const datagram of this.waiting.get(address) ?? []) (this.network as TransportEnd).lostInTransit(datagram.readUInt32BE(8));
    this.waiting.delete(address);
    // The port keeps naming this node until a newer one binds it: datagrams it sent just before departing still
    // arrive from it, as from a host that has just gone.
    this.ports.delete(address);
    socket.close();
  }

  /** Closes every socket; resolves when all are closed. */
  async closeAll(): Promise<void> {
    const closing = [...this.sockets.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.sockets.clear();
    this.waiting.clear();
    this.ports.clear();
    this.owners.clear();
    await Promise.all(closing);
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  carry(sender: SimNode, receiver: SimNode, message: unknown, bytes: number, wireBytes: number, category: number, holdUs: number): void {
    const network = this.network as TransportEnd;
    if (!this.sockets.has(receiver.address) || !this.sockets.has(sender.address)) return network.lostInTransit(wireBytes);
    const body = this.codec.encode(message);
    this.wire.count(this.codec.typeOf(message), message, bytes, body.length);
    const datagram = Buffer.allocUnsafe(HEADER + body.length);
    datagram.writeUInt32BE(receiver.address, 0);
    datagram.writeUInt32BE(Math.min(MAX_HOLD_US, Math.max(0, Math.round(holdUs))), 4);
    datagram.writeUInt32BE(wireBytes, 8);
    datagram.writeUInt8(category, 12);
    datagram.set(body, HEADER);
    const port = this.ports.get(receiver.address);
    if (port === undefined) this.waiting.get(receiver.address)?.push(datagram);
    else this.transmit(sender.address, port, datagram);
  }

  private transmit(from: Address, port: number, datagram: Buffer): void {
    const socket = this.sockets.get(from);
    if (socket === undefined) {
      // The sender departed while its datagram waited for the receiver's socket: it is lost with the sender.
      (this.network as TransportEnd).lostInTransit(datagram.readUInt32BE(8));
      return;
    }
    this.counts.sent++;
    socket.send(datagram, port, LOOPBACK, this.sent);
  }

  private receive(address: Address, datagram: Buffer, remote: RemoteInfo): void {
    const start = performance.now(); // wall-clock ok: CPU accounting
    this.counts.received++;
    const network = this.network as TransportEnd;
    const wireBytes = datagram.readUInt32BE(8);
    const from = this.owners.get(remote.port);
    if (datagram.readUInt32BE(0) !== address || !this.sockets.has(address) || from === undefined) {
      this.counts.stale++;
      return network.lostInTransit(wireBytes);
    }
    let message: unknown;
    try {
      message = this.codec.decode(datagram.subarray(HEADER));
    } catch (e) {
      return this.failed(e);
    }
    const atUs = this.clock.nowUs() + datagram.readUInt32BE(4);
    network.accept(from, address, message, wireBytes, datagram.readUInt8(12), atUs);
    this.clock.poke(atUs);
    this.charge(address, performance.now() - start); // wall-clock ok
  }
}
