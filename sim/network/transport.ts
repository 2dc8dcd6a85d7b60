import type { SimNode } from "../engine/sim-node.js";
import type { Address } from "../runtime/node-runtime.js";

/**
 * In a live run, what carries a message the network model let through (counted, queued, not dropped) between the
 * sender's and the receiver's sockets; the model's delay travels with it and is applied on arrival.
 */
export interface Transport {
  /** Called once by the network the transport serves: where received messages go. */
  attach(network: TransportEnd): void;
  /**
   * Send `message` from `sender` to `receiver`, to be delivered `holdUs` after it arrives (the model's queueing and
   * one-way delay). `bytes` is what the protocol declared; `wireBytes` (with IP/UDP headers) and `category` are the
   * model's accounting, carried beside the message.
   */
  carry(sender: SimNode, receiver: SimNode, message: unknown, bytes: number, wireBytes: number, category: number, holdUs: number): void;
}

/** The network's side of a transport. */
export interface TransportEnd {
  /** A message received, to arrive (downlink, processing, delivery) at `atUs`, or at once if that has passed. */
  accept(from: Address, to: Address, message: unknown, wireBytes: number, category: number, atUs: number): void;
  /** A message the transport could not hand over (its receiver gone, or the datagram lost). */
  lostInTransit(wireBytes: number): void;
}
