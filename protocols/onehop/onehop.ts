import {
  type Address,
  type Contact,
  type Id,
  type LookupHandle,
  type NodeRuntime,
  type ProtocolDefinition,
  type ProtocolNode,
  type TimerHandle,
} from "../../sim/runtime/index.js";
import type { MessageCategories } from "../common/message-categories.js";
import { Membership } from "./membership.js";
import { ONEHOP_WIRE } from "./wire.js";

/**
 * A one-hop DHT with full membership: the smallest protocol that exercises the whole engine (joins through a
 * gateway, lookups, timeouts, failure detection under churn). Every node knows every other; a joiner gets the
 * list from its gateway, which announces the newcomer to all; each node pings its successor and announces the
 * departures it detects. It is the worked example of the README's "adding a protocol", not a design from the
 * paper — its bandwidth grows linearly with N.
 */
export interface OneHopOptions {
  /** How often each node pings its successor (ms). */
  pingIntervalMs: number;
  /** How long a ping or lookup request waits for its answer (ms). */
  timeoutMs: number;
  /** How long a joiner waits for its gateway's answer before asking the bootstrap service again (ms). */
  joinRetryMs: number;
}

/** Exported for its wire format. */
export type OneHopMessage = Message;

type Message =
  | { t: "join"; who: Contact }
  | { t: "welcome"; members: readonly Contact[] }
  | { t: "hello"; who: Contact }
  | { t: "gone"; who: Contact }
  | { t: "ping"; nonce: number }
  | { t: "pong"; nonce: number }
  | { t: "find"; key: Id; tag: number }
  | { t: "found"; tag: number; owner: Contact };

/** Where each message is counted (the README's table for onehop). */
export const ONEHOP_MESSAGE_CATEGORIES: MessageCategories<Message> = {
  join: { category: "join" },
  welcome: { category: "join" },
  hello: { oneOf: ["join", "liveness"], when: "`join` from a gateway announcing a newcomer, `liveness` from a node declared gone by mistake" },
  gone: { category: "liveness" },
  ping: { category: "liveness" },
  pong: { category: "liveness" },
  find: { category: "lookup" },
  found: { category: "lookup" },
};

// Sizes as on the wire: a type and a tag (8 bytes), a contact is an address (7) and an identifier (24, as
// Bamboo's cost model counts it), a key 20.
const BASE = 8;
const CONTACT = 31;
const KEY = 20;

interface Search {
  handle: LookupHandle;
  key: Id;
  hops: number;
  target: Contact;
  timer: TimerHandle;
}

class OneHopNode implements ProtocolNode<Message> {
  private readonly members = new Membership();
  private readonly self: Contact;
  private joined = false;
  private nextTag = 0;
  private readonly searches = new Map<number, Search>();
  private pingNonce = 0;
  private pingTarget: Contact | null = null;
  private pingTimer: TimerHandle = -1;

  constructor(
    private readonly rt: NodeRuntime<Message>,
    private readonly o: OneHopOptions,
  ) {
    this.self = { address: rt.address, id: rt.id };
  }

  join(gateway: Contact | null): void {
    if (gateway === null) {
      this.members.add(this.self);
      this.becomeJoined();
      return;
    }
    this.rt.send(gateway.address, { t: "join", who: this.self }, BASE + CONTACT, "join");
    this.rt.setTimer(this.o.joinRetryMs, () => {
      if (!this.joined) this.join(this.rt.bootstrap());
    });
  }

  private becomeJoined(): void {
    this.joined = true;
    this.rt.reportJoined();
    // Jitter the first ping so that nodes started together do not ping in lockstep.
    this.rt.setTimer(this.rt.random.uniform(0, this.o.pingIntervalMs), () => this.pingSuccessor());
  }

  receive(from: Address, m: Message): void {
    switch (m.t) {
      case "join": {
        if (!this.joined) return;
        const list = this.members.all();
        this.rt.send(m.who.address, { t: "welcome", members: list.slice() }, BASE + CONTACT * list.length, "join");
        for (const c of list) {
          if (c.address !== this.rt.address) this.rt.send(c.address, { t: "hello", who: m.who }, BASE + CONTACT, "join");
        }
        this.members.add(m.who);
        return;
      }
      case "welcome":
        if (this.joined) return;
        // The gateway's list is sorted by identifier already: adopting it is linear, adding one by one quadratic.
        this.members.addSorted(m.members);
        this.members.add(this.self);
        this.becomeJoined();
        return;
      case "hello":
        this.members.add(m.who);
        return;
      case "gone":
        if (m.who.address === this.rt.address) {
          // Declared dead by mistake (a lost ping): tell everyone otherwise.
          for (const c of this.members.all()) {
            if (c.address !== this.rt.address) this.rt.send(c.address, { t: "hello", who: this.self }, BASE + CONTACT, "liveness");
          }
        } else this.members.remove(m.who.address);
        return;
      case "ping":
        this.rt.send(from, { t: "pong", nonce: m.nonce }, BASE, "liveness");
        return;
      case "pong":
        if (m.nonce === this.pingNonce && this.pingTarget !== null) {
          this.rt.cancelTimer(this.pingTimer);
          this.pingTarget = null;
        }
        return;
      case "find": {
        const owner = this.members.closest(m.key) ?? this.self;
        this.rt.send(from, { t: "found", tag: m.tag, owner }, BASE + CONTACT, "lookup");
        return;
      }
      case "found": {
        const search = this.searches.get(m.tag);
        if (search === undefined) return;
        this.rt.cancelTimer(search.timer);
        this.searches.delete(m.tag);
        if (m.owner.address === search.target.address) {
          this.rt.reportLookup(search.handle, m.owner.id, search.hops);
        } else {
          // The target knows a closer node than we did: learn it and ask it.
          this.members.add(m.owner);
          this.ask(search.handle, search.key, search.hops);
        }
        return;
      }
    }
  }

  lookup(key: Id, handle: LookupHandle): void {
    this.ask(handle, key, 0);
  }

  private ask(handle: LookupHandle, key: Id, hops: number): void {
    const target = this.members.closest(key);
    if (target === null || target.address === this.rt.address) {
      this.rt.reportLookup(handle, this.rt.id, hops);
      return;
    }
    const tag = this.nextTag++;
    const timer = this.rt.setTimer(this.o.timeoutMs, () => {
      this.searches.delete(tag);
      this.declareGone(target);
      this.ask(handle, key, hops + 1);
    });
    this.searches.set(tag, { handle, key, hops: hops + 1, target, timer });
    this.rt.send(target.address, { t: "find", key, tag }, BASE + KEY, "lookup");
  }

  private pingSuccessor(): void {
    const successor = this.members.successorOf(this.rt.id);
    if (successor !== null && successor.address !== this.rt.address) {
      const nonce = ++this.pingNonce;
      this.pingTarget = successor;
      this.rt.send(successor.address, { t: "ping", nonce }, BASE, "liveness");
      this.pingTimer = this.rt.setTimer(this.o.timeoutMs, () => {
        if (this.pingTarget === successor && this.pingNonce === nonce) {
          this.pingTarget = null;
          this.declareGone(successor);
        }
      });
    }
    this.rt.setTimer(this.o.pingIntervalMs, () => this.pingSuccessor());
  }

  private declareGone(who: Contact): void {
    if (!this.members.remove(who.address)) return;
    for (const c of this.members.all()) {
      if (c.address !== this.rt.address) this.rt.send(c.address, { t: "gone", who }, BASE + CONTACT, "liveness");
    }
  }
}

export const oneHop: ProtocolDefinition<OneHopOptions, Message> = {
  name: "onehop",
  description: "One-hop DHT with full membership lists and successor pinging; the minimal example protocol.",
  ownership: "ring",
  optionsSchema: {
    type: "object",
    additionalProperties: false,
    properties: {
      pingInterval: { type: "string", format: "duration", default: "5s", description: "Successor ping period." },
      timeout: { type: "string", format: "duration", default: "2s", description: "Request timeout." },
      joinRetry: { type: "string", format: "duration", default: "10s", description: "Join retry period." },
    },
  },
  parseOptions: (o) => ({
    pingIntervalMs: o.pingInterval as number,
    timeoutMs: o.timeout as number,
    joinRetryMs: o.joinRetry as number,
  }),
  create: (runtime, options) => new OneHopNode(runtime, options),
  // A contact and a map entry per member: quadratic in N overall.
  memoryPerNode: (nodes) => 4096 + 120 * nodes,
  wire: ONEHOP_WIRE,
};
