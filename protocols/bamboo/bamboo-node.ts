import type { Address, Contact, Counter, Id, KbrUpcalls, KeyBasedRouting, LookupHandle, NodeRuntime, ProtocolNode, TimerHandle } from "../../sim/runtime/index.js";
import { AckedForwarding, type ForwardingRules } from "../common/acked-forwarding.js";
import { AddressList } from "../common/address-list.js";
import { clockwiseBefore, closerTo, digitAt, type Peer, peerOf, ringPoint, sharedDigits, withPrefix } from "../common/identifiers.js";
import { every } from "../common/periodic.js";
import { Requests } from "../common/requests.js";
import { makeTimeouts, type TimeoutStrategy } from "../common/timeouts.js";
import type { Coordinate } from "../common/vivaldi.js";
import { ForgottenNeighbours } from "../common/forgotten-neighbours.js";
import { LeafSet } from "./leaf-set.js";
import { CATEGORY, type Message, routeCategory, SIZE } from "./messages.js";
import type { BambooOptions } from "./options.js";
import { RoutingTable } from "./routing-table.js";
import { type Suspect, Suspects } from "./suspects.js";

type Route = Extract<Message, { t: "route" }>;

/** What a ping's answer (with its RTT) or its timeout leads to; the context is the node pinged. */
interface ProbeOutcome {
  answered: (pong: unknown, rttMs: number, p: Peer) => void;
  silent: (p: Peer) => void;
}

interface IterativeLookup {
  handle: LookupHandle;
  key: Id;
  hops: number;
  /** The node asked now, and the one whose answer named it (null: we chose it ourselves). */
  asked: Peer;
  previous: Peer | null;
  sentAt: number;
  timer: TimerHandle;
  exclude: Address[];
}

/** Re-routes per message per node before giving up on it; the lookup then times out at its origin. */
const MAX_REROUTES = 6;
/**
 * Hops after which a routed message is dropped, as its origin will time out. Prefix routing and leaf sets that
 * disagree under churn can send a message round a loop (a hop by prefix away from the numerically closer node that
 * sent it); without a limit it circles until the tables change, a join's path growing at every hop.
 */
const MAX_HOPS = 64;
/** Recursive sampling asks a row of a neighbour, then of one node it named: two steps per tuning round. */
const RECURSIVE_DEPTH = 2;
/** Inverse neighbours remembered, the oldest forgotten first; an answer names the newest. */
const MAX_INVERSE = 32;
const INVERSE_REPLY = 16;

/**
 * One Bamboo node: Pastry-style prefix routing with a leaf set, recursive routing with per-hop
 * acknowledgements, and the maintenance choices the paper compares — periodic or reactive leaf-set recovery,
 * fixed or TCP-style timeouts, and proximity neighbour selection by global and local tuning.
 */
export class BambooNode implements ProtocolNode<Message>, KeyBasedRouting {
  readonly self: Peer;
  private readonly leafSet: LeafSet;
  private readonly table: RoutingTable;
  private readonly timeouts: TimeoutStrategy;
  /** Neighbours suspected down: out of every table, probed until the second-chance deadline. */
  private readonly suspects = new Suspects();
  /** Healing on: neighbours whose second chance ended, re-probed in turn (null with healing off). */
  private readonly forgotten: ForgottenNeighbours | null;
  /** Probes, and route hops awaiting their acknowledgement. */
  private readonly requests: Requests<Extract<Message, { t: "ping" | "route" }>>;
  private readonly forwarding: AckedForwarding<Route>;
  /** Nodes with a probe out: a few at a time, so a list. */
  private readonly probing = new AddressList();
  private readonly lookups = new Map<number, LookupHandle>();
  private readonly iterative = new Map<number, IterativeLookup>();
  /** Nodes that told us they put us in their routing tables (kept only when inverse sampling is on). */
  private readonly inverse = new Map<Address, Contact>();
  private leafContacts: Contact[] = [];
  private leafContactsVersion = -1;
  private nextNonce = 0;
  private nextTag = 0;
  private isJoined = false;
  private joinRetryMs: number;
  /** The layer above, when one is stacked on this node (storage). */
  private upcalls: KbrUpcalls | null = null;
  private readonly avoid = (p: Peer) => this.suspects.has(p.address);
  /** Our coordinate to send with probes, when the timeouts come from coordinates: asked for once, not per probe. */
  private readonly ownCoordinate: (() => Coordinate) | undefined;
  private readonly rttOf = (address: Address) => this.timeouts.rtt(address);
  /** Statistic: members entering or leaving the leaf set (an entry pushing out the farthest counts once). */
  private readonly leafSetChanges: Counter;
  /** Statistic: neighbours becoming suspected. */
  private readonly suspicions: Counter;
  /** Statistic: routed messages dropped at the hop limit (a routing loop). */
  private readonly loops: Counter;
  /** Statistic (healing on): forgotten neighbours that answered a re-probe. */
  private readonly rediscovered: Counter | null;

  constructor(
    private readonly rt: NodeRuntime<Message>,
    private readonly o: BambooOptions,
  ) {
    this.self = peerOf({ address: rt.address, id: rt.id });
    this.leafSet = new LeafSet(this.self, o.leafSetSize);
    this.table = new RoutingTable(this.self, o.digitBits, o.pnsOn, o.pnsFactor);
    this.timeouts = makeTimeouts(rt, o);
    this.joinRetryMs = o.joinRetryMs;
    this.requests = new Requests(rt, this.timeouts);
    this.forwarding = new AckedForwarding(this.requests, this.routeRules, MAX_REROUTES);
    this.ownCoordinate = this.timeouts.coordinate?.bind(this.timeouts);
    this.leafSetChanges = rt.counter("leaf_set_changes");
    this.suspicions = rt.counter("suspicions");
    this.loops = rt.counter("routes_dropped_at_hop_limit");
    const healing = o.heal === "reprobe";
    this.forgotten = healing ? new ForgottenNeighbours(o.healListSize) : null;
    this.rediscovered = healing ? rt.counter("heal_rediscovered") : null;
  }

  // Joining

  join(gateway: Contact | null): void {
    if (gateway === null) return this.becomeJoined();
    this.forwarding.forward(peerOf(gateway), { t: "route", nonce: 0, kind: "join", key: this.rt.id, tag: 0, origin: this.self, hops: 0, path: [], payload: null, payloadBytes: 0, category: null }, 0);
    this.rt.setTimer(this.joinRetryMs, () => {
      if (this.isJoined) return;
      this.joinRetryMs = Math.min(this.o.joinRetryMaxMs, this.joinRetryMs * 2);
      this.join(this.rt.bootstrap());
    });
  }

  private welcome(m: Extract<Message, { t: "welcome" }>): void {
    if (this.isJoined) return;
    // The owner's leaf set is fresh: take it as ours at once; the path nodes are routing-table candidates.
    for (const c of m.leaves) if (c.address !== this.rt.address) this.counted(this.leafSet.add(peerOf(c)));
    for (const c of [...m.leaves, ...m.path]) this.learn(c);
    this.becomeJoined();
    this.announce();
  }

  private becomeJoined(): void {
    this.isJoined = true;
    this.rt.reportJoined();
    const rt = this.rt;
    if (this.o.recovery === "periodic") every(rt, this.o.leafSetPeriodMs, () => this.exchangeLeafSet());
    every(rt, this.o.pingPeriodMs, () => this.pingNeighbours());
    const pns = this.o.pns;
    if (pns.local || pns.recursive) every(rt, this.o.localTuningPeriodMs, () => this.localTuning());
    if (pns.global) every(rt, this.o.globalTuningPeriodMs, () => this.globalTuning());
    if (pns.inverse) every(rt, this.o.localTuningPeriodMs, () => this.inverseTuning());
    // Last, so that with healing off every earlier timer draws from the random stream as before.
    if (this.forgotten !== null) every(rt, this.o.healPeriodMs, () => this.reprobeForgotten());
  }

  // Lookups and routing

  lookup(key: Id, handle: LookupHandle): void {
    const tag = this.nextTag++;
    if (this.o.routing === "iterative") return this.stepTo(tag, handle, key, 0, null, this.nextHop(key), []);
    this.lookups.set(tag, handle);
    this.routeOn({ t: "route", nonce: 0, kind: "lookup", key, tag, origin: this.self, hops: 0, path: null, payload: null, payloadBytes: 0, category: null }, 0);
  }

  /** The next hop towards `key`: ourselves when we are its owner. Nodes in `exclude` are avoided too. */
  nextHop(key: Id, exclude: readonly Address[] = NONE_EXCLUDED): Peer {
    const avoid = exclude.length === 0 ? this.avoid : (p: Peer) => this.avoid(p) || exclude.includes(p.address);
    const k = ringPoint(key);
    if (this.leafSet.covers(k)) return this.leafSet.closest(k, avoid);
    const entry = this.table.lookup(key);
    if (entry !== undefined && !avoid(entry)) return entry;
    // No entry for the next digit (Pastry's rare case): a known node closer to the key than the closest leaf, among
    // those sharing at least as long a prefix with it as we do. One with a shorter prefix may be numerically closer
    // yet route straight back here by prefix: a loop.
    let best = this.leafSet.closest(k, avoid);
    const shared = sharedDigits(this.rt.id, key, this.o.digitBits);
    for (const p of this.table.entries()) {
      if (!avoid(p) && closerTo(k, p, best) && sharedDigits(p.id, key, this.o.digitBits) >= shared) best = p;
    }
    return best;
  }

  // Iterative routing: we ask each hop for its next hop; a silent hop is excluded and its predecessor asked again.

  private stepTo(tag: number, handle: LookupHandle, key: Id, hops: number, previous: Peer | null, next: Peer, exclude: Address[]): void {
    if (next.address === this.rt.address) return this.rt.reportLookup(handle, this.rt.id, hops);
    const timer = this.rt.setTimer(this.timeouts.timeout(next.address), () => this.stepTimedOut(tag));
    this.iterative.set(tag, { handle, key, hops, asked: next, previous, sentAt: this.rt.now(), timer, exclude });
    this.rt.send(next.address, { t: "step", tag, key, origin: this.self, exclude }, SIZE.step(exclude.length), CATEGORY.lookup);
  }

  private stepTimedOut(tag: number): void {
    const s = this.iterative.get(tag);
    if (s === undefined) return;
    this.iterative.delete(tag);
    this.timeouts.expired(s.asked.address);
    this.suspect(s.asked);
    const exclude = [...s.exclude, s.asked.address];
    if (exclude.length > MAX_REROUTES) return this.rt.reportLookup(s.handle, null, s.hops);
    if (s.previous === null) return this.stepTo(tag, s.handle, s.key, s.hops, null, this.nextHop(s.key, exclude), exclude);
    this.stepTo(tag, s.handle, s.key, s.hops, null, s.previous, exclude);
  }

  private stepAnswered(from: Address, tag: number, next: Contact): void {
    const s = this.iterative.get(tag);
    if (s === undefined || s.asked.address !== from) return;
    this.iterative.delete(tag);
    this.rt.cancelTimer(s.timer);
    this.timeouts.sample(from, this.rt.now() - s.sentAt);
    // A hop that names itself is the owner.
    if (next.address === from) return this.rt.reportLookup(s.handle, next.id, s.hops + 1);
    this.stepTo(tag, s.handle, s.key, s.hops + 1, s.asked, peerOf(next), s.exclude);
  }

  private routeOn(m: Route, attempts: number): void {
    if (m.hops >= MAX_HOPS) return this.loops.add();
    const next = this.nextHop(m.key);
    if (next.address === this.rt.address) return this.deliver(m);
    if (m.kind === "app") this.upcalls?.forward?.(m.key, m.payload as object, next);
    this.forwarding.forward(next, m, attempts);
  }

  /** Each hop acknowledged; a silent one is suspected and the message re-routed from here. */
  private readonly routeRules: ForwardingRules<Route> = {
    // Spelled out rather than spread: one object shape for every hop, and this runs for every hop.
    onward: (nonce, m) => ({
      t: "route",
      nonce,
      kind: m.kind,
      key: m.key,
      tag: m.tag,
      origin: m.origin,
      hops: m.hops + 1,
      path: m.path,
      payload: m.payload,
      payloadBytes: m.payloadBytes,
      category: m.category,
    }),
    bytes: (m) => SIZE.route(m.path?.length ?? 0) + m.payloadBytes,
    category: routeCategory,
    suspect: (hop) => this.suspect(hop),
    reroute: (m, attempts) => this.routeOn(m, attempts),
  };

  private deliver(m: Route): void {
    if (m.kind === "app") return this.upcalls?.deliver(m.key, m.payload as object, m.origin, m.hops);
    if (m.kind === "join") {
      if (m.origin.address === this.rt.address) return;
      const leaves = this.leafSetContacts();
      const path = m.path ?? [];
      this.rt.send(m.origin.address, { t: "welcome", leaves, path }, SIZE.welcome(leaves.length + path.length), CATEGORY.join);
      return;
    }
    const found: Message = { t: "found", kind: m.kind, tag: m.tag, owner: this.self, hops: m.hops };
    if (m.origin.address === this.rt.address) this.found(found);
    else this.rt.send(m.origin.address, found, SIZE.found, routeCategory(m));
  }

  private found(m: Extract<Message, { t: "found" }>): void {
    if (m.kind === "tune") return this.learn(m.owner);
    const handle = this.lookups.get(m.tag);
    if (handle === undefined) return;
    this.lookups.delete(m.tag);
    this.rt.reportLookup(handle, m.owner.id, m.hops);
  }

  // Key-based routing, for a layer stacked on this node

  get routing(): KeyBasedRouting {
    return this;
  }

  get joined(): boolean {
    return this.isJoined;
  }

  get maxReplicas(): number {
    return 2 * this.o.leafSetSize + 1;
  }

  setUpcalls(upcalls: KbrUpcalls): void {
    this.upcalls = upcalls;
  }

  /** Always recursive, hop by hop acknowledged, as OpenDHT routed its puts and gets (whatever `routing` says). */
  route(key: Id, payload: object, bytes: number, category: string): void {
    const m: Route = { t: "route", nonce: 0, kind: "app", key, tag: 0, origin: this.self, hops: 0, path: null, payload, payloadBytes: bytes, category };
    this.routeOn(m, 0);
  }

  /**
   * Bamboo's replica set (its LeafSet.replicas): r/2 nodes on each side of the key — those at or after it clockwise,
   * and those before it — the closest first. Sets change only where a node sits, so every key between two
   * neighbouring nodes has the same one, and a node holds what its leaf set's range covers. None when the key lies
   * beyond the leaf set; only the members we know when the set reaches past it.
   */
  replicaSet(key: Id, r: number): Contact[] {
    const k = ringPoint(key);
    if (!this.leafSet.covers(k)) return [];
    if (!this.leafSet.wholeRing()) return this.leafSet.replicas(k, r);
    // We know every node (a network of at most 2k + 1): r/2 each side of the key among all of them.
    const known: Peer[] = [this.self, ...this.leafSet.members()];
    known.sort((a, b) => (a === b ? 0 : clockwiseBefore(k, a, b) ? -1 : 1));
    const set = known.slice(0, Math.ceil(r / 2));
    for (let i = known.length - 1; i >= 0 && set.length < Math.min(r, known.length); i--) if (!set.includes(known[i])) set.push(known[i]);
    return set.sort((a, b) => (a === b ? 0 : closerTo(k, a, b) ? -1 : 1));
  }

  neighbours(): readonly Contact[] {
    return this.leafSet.members();
  }

  // Messages

  receive(from: Address, m: Message): void {
    switch (m.t) {
      case "route":
        this.rt.send(from, { t: "ack", nonce: m.nonce }, SIZE.ack, routeCategory(m));
        this.heardFrom(from);
        if (m.kind === "join") {
          if (!this.isJoined) return;
          // A copy: the sender keeps its own message to re-route should this hop fail.
          return this.routeOn({ ...m, path: [...(m.path ?? []), this.self] }, 0);
        }
        this.learn(m.origin);
        return this.routeOn(m, 0);
      case "ack":
        this.requests.answer(from, m.nonce, m);
        return;
      case "found":
        this.heardFrom(from);
        return this.found(m);
      case "step": {
        this.heardFrom(from);
        this.learn(m.origin);
        const next = this.nextHop(m.key, m.exclude);
        this.rt.send(from, { t: "stepReply", tag: m.tag, next }, SIZE.stepReply, CATEGORY.lookup);
        return;
      }
      case "stepReply":
        this.heardFrom(from);
        return this.stepAnswered(from, m.tag, m.next);
      case "welcome":
        return this.welcome(m);
      case "leafset":
        this.heardFrom(from);
        for (const c of m.leaves) this.learn(c);
        if (m.pull) this.sendLeafSet(from, false);
        return;
      case "ping": {
        const coordinate = this.ownCoordinate?.() ?? null;
        this.rt.send(from, { t: "pong", nonce: m.nonce, coordinate }, SIZE.ping + SIZE.coordinate(coordinate), CATEGORY.probe);
        this.heardFrom(from);
        return;
      }
      case "pong":
        this.requests.answer(from, m.nonce, m);
        return;
      case "rowRequest": {
        const entries = this.table.row(m.level);
        this.rt.send(from, { t: "row", level: m.level, depth: m.depth, entries }, SIZE.row(entries.length), CATEGORY.routing);
        return;
      }
      case "row":
        for (const c of m.entries) this.learn(c);
        if (this.o.pns.recursive && m.depth < RECURSIVE_DEPTH) this.sampleFurther(m.level, m.depth, m.entries);
        return;
      case "added":
        this.inverse.delete(from);
        this.inverse.set(from, m.node);
        if (this.inverse.size > MAX_INVERSE) this.inverse.delete(this.inverse.keys().next().value as Address);
        return;
      case "inverseRequest": {
        const entries = [...this.inverse.values()].slice(-INVERSE_REPLY);
        this.rt.send(from, { t: "inverse", entries }, SIZE.row(entries.length), CATEGORY.routing);
        return;
      }
      case "inverse":
        for (const c of m.entries) this.learn(c);
        return;
    }
  }

  // Neighbours

  /** A message came straight from `address`: it is alive. */
  private heardFrom(address: Address): void {
    const suspect = this.suspects.get(address);
    if (suspect !== undefined) this.clearSuspicion(suspect);
  }

  /**
   * A node we heard of: it joins the leaf set if it belongs there, and the routing table if its cell would take
   * it — in both cases only after it answers a ping, which also measures the RTT the routing table needs.
   */
  private learn(c: Contact, then: ProbeOutcome = this.afterProbe.learn): void {
    if (c.address === this.rt.address || this.suspects.has(c.address)) return;
    const p = peerOf(c);
    // Both tests read only the identifier and the RTT table: most contacts are turned away before any probe.
    if (!this.leafSet.promising(p) && !this.table.wouldAccept(p, this.rttOf)) return;
    this.probe(p, then);
  }

  private adopt(p: Peer, rtt: number): void {
    if (this.counted(this.leafSet.add(p)) && this.o.recovery === "reactive") this.announce();
    this.considerForTable(p, rtt);
  }

  /** Offers a node to the routing table; with inverse sampling on, a node that enters is told so. */
  private considerForTable(p: Peer, rtt: number): void {
    if (this.table.consider(p, rtt) && this.o.pns.inverse) this.rt.send(p.address, { t: "added", node: this.self }, SIZE.added, CATEGORY.routing);
  }

  /**
   * Pings `p` unless a ping to it is in flight; `then` says what its answer or silence leads to. The handlers are
   * made once per node, not per ping: pings are most of Bamboo's messages.
   */
  private probe(p: Peer, then: ProbeOutcome): void {
    if (!this.probing.add(p.address)) return;
    const coordinate = this.ownCoordinate?.() ?? null;
    this.requests.send(p.address, ping, coordinate, SIZE.ping + SIZE.coordinate(coordinate), CATEGORY.probe, then.answered, then.silent, p);
  }

  private probeEnded(p: Peer, answered: boolean): void {
    this.probing.delete(p.address);
    if (answered) this.heardFrom(p.address);
  }

  private readonly afterProbe: Record<"learn" | "check" | "none" | "relearn" | "reprobe", ProbeOutcome> = {
    // A node heard of: it answered, so it may join the leaf set and routing table.
    learn: {
      answered: (_pong, rtt, p) => {
        this.probeEnded(p, true);
        this.adopt(p, rtt);
      },
      silent: (p) => this.probeEnded(p, false),
    },
    // A neighbour's periodic check: a fresh RTT for the routing table, or suspicion.
    check: {
      answered: (_pong, rtt, p) => {
        this.probeEnded(p, true);
        this.considerForTable(p, rtt);
      },
      silent: (p) => {
        this.probeEnded(p, false);
        this.suspect(p);
      },
    },
    // A suspect's second chance: an answer clears the suspicion (through heardFrom).
    none: { answered: (_pong, _rtt, p) => this.probeEnded(p, true), silent: (p) => this.probeEnded(p, false) },
    // Healing: a suspect heard from again is pinged before it returns; silent then (heavy loss), it would be lost
    // without its second chance ever ending, so it is remembered among the forgotten.
    relearn: {
      answered: (_pong, rtt, p) => {
        this.probeEnded(p, true);
        this.adopt(p, rtt);
      },
      silent: (p) => {
        this.probeEnded(p, false);
        this.forget(p);
      },
    },
    // Healing: a forgotten neighbour answered, so the cut between us has healed.
    reprobe: {
      answered: (_pong, rtt, p) => {
        this.probeEnded(p, true);
        this.rediscover(p, rtt);
      },
      silent: (p) => {
        this.probeEnded(p, false);
        // Keep no RTT state for a node we are not talking to; it stays on the list until it expires.
        this.timeouts.forget(p.address);
      },
    },
  };

  private pingNeighbours(): void {
    for (const p of this.leafSet.members()) this.probe(p, this.afterProbe.check);
    // Each node once: a leaf-set member in the routing table has been pinged already.
    for (const p of this.table.entries()) if (!this.leafSet.has(p.address)) this.probe(p, this.afterProbe.check);
  }

  /**
   * A neighbour failed to answer: routing avoids it from now on, and it leaves the leaf set and routing table
   * so that live nodes can take its place. It gets a second chance — probes until the deadline — and returns
   * if it answers.
   */
  private suspect(p: Peer): void {
    if (this.suspects.has(p.address)) return;
    this.suspects.add(p, this.rt.now() + this.o.secondChanceMs);
    this.suspicions.add();
    const leafSetChanged = this.counted(this.leafSet.remove(p.address));
    this.table.remove(p.address);
    // An empty leaf set would make us the owner of everything: refill it from the routing table.
    if (this.leafSet.size === 0) for (const p of this.table.entries()) this.counted(this.leafSet.add(p));
    if (leafSetChanged && this.o.recovery === "reactive") this.announce();
    this.secondChance(p, this.timeouts.timeout(p.address));
  }

  /** Counts a leaf-set change for the statistics; returns whether there was one. */
  private counted(leafSetChanged: boolean): boolean {
    if (leafSetChanged) {
      this.leafSetChanges.add();
      this.upcalls?.neighboursChanged();
    }
    return leafSetChanged;
  }

  private secondChance(p: Peer, wait: number): void {
    const deadline = this.suspects.get(p.address)?.deadline;
    if (deadline === undefined) return;
    if (this.rt.now() >= deadline) {
      this.suspects.delete(p.address);
      this.timeouts.forget(p.address);
      this.forget(p);
      return;
    }
    this.probe(p, this.afterProbe.none);
    this.rt.setTimer(Math.min(wait, deadline - this.rt.now()), () => this.secondChance(p, wait * 2));
  }

  // Healing

  /**
   * Re-probes one forgotten neighbour, in turn. After a partition longer than the second chance each side has
   * forgotten the other, and nothing else would ever send a message across: one answer is enough to start the
   * merge. A node that is back in our tables (heard of again some other way) needs no re-probe.
   */
  private reprobeForgotten(): void {
    const forgotten = this.forgotten as ForgottenNeighbours;
    for (let tries = forgotten.size; tries > 0; tries--) {
      const p = forgotten.next(this.rt.now());
      if (p === null) return;
      if (this.suspects.has(p.address)) continue;
      if (this.leafSet.has(p.address) || this.table.has(p.address)) {
        forgotten.delete(p.address);
        continue;
      }
      return this.probe(p, this.afterProbe.reprobe);
    }
  }

  /**
   * A forgotten neighbour answered: taken as newly discovered (leaf set and routing table, as the leaf-set merge
   * takes a node heard of once it answers a ping), and our leaf sets exchanged with it. The exchange is what joins
   * two rings: it names to each side the nodes of the other that sit nearest it, those join the leaf sets that
   * they belong in, and the periodic exchanges then spread them round both rings.
   */
  private rediscover(p: Peer, rtt: number): void {
    this.forgotten?.delete(p.address);
    this.rediscovered?.add();
    this.adopt(p, rtt);
    this.sendLeafSet(p.address, true);
  }

  /** Healing on: `p` goes on the list of forgotten neighbours to re-probe. */
  private forget(p: Peer): void {
    this.forgotten?.add(p, this.rt.now() + this.o.healMemoryMs);
  }

  private clearSuspicion(s: Suspect): void {
    this.suspects.delete(s.peer.address);
    this.learn(s.peer, this.forgotten === null ? this.afterProbe.learn : this.afterProbe.relearn);
  }

  // Maintenance

  /** Periodic recovery: push our leaf set to one random member, which replies with its own (push-pull). */
  private exchangeLeafSet(): void {
    const members = this.leafSet.members();
    if (members.length === 0) return;
    this.sendLeafSet(members[this.rt.random.int(members.length)].address, true);
  }

  /** Send our leaf set to every member: after joining, and on every change under reactive recovery. */
  private announce(): void {
    for (const p of this.leafSet.members()) this.sendLeafSet(p.address, false);
  }

  /**
   * Our leaf set and ourselves as contacts, as every leaf-set message carries them: made again only when the leaf
   * set has changed, and shared by the messages (receivers only read them).
   */
  private leafSetContacts(): Contact[] {
    if (this.leafContactsVersion !== this.leafSet.version) {
      this.leafContacts = [...this.leafSet.members(), this.self];
      this.leafContactsVersion = this.leafSet.version;
    }
    return this.leafContacts;
  }

  private sendLeafSet(to: Address, pull: boolean): void {
    const leaves = this.leafSetContacts();
    this.rt.send(to, { t: "leafset", leaves, pull }, SIZE.leafset(leaves.length), CATEGORY.leafset);
  }

  /** A level in [0, high], low levels favoured: P(i) ∝ high + 1 − i, as Bamboo weights them. */
  private tuningLevel(high: number): number {
    const total = ((high + 1) * (high + 2)) / 2;
    let u = this.rt.random.next() * total;
    for (let i = 0; i <= high; i++) {
      u -= high + 1 - i;
      if (u < 0) return i;
    }
    return high;
  }

  /** Local tuning: ask a routing-table neighbour for one row of its table and consider what it holds. */
  private localTuning(): void {
    const high = this.table.highestLevel();
    if (high < 0) return;
    const level = this.tuningLevel(high);
    const row = this.table.row(level);
    if (row.length === 0) return;
    const target = row[this.rt.random.int(row.length)];
    this.rt.send(target.address, { t: "rowRequest", level, depth: 0, nonce: this.nextNonce++ }, SIZE.rowRequest, CATEGORY.routing);
  }

  /** Recursive sampling: ask one node of the row just received, not yet in our table, for the same row. */
  private sampleFurther(level: number, depth: number, entries: readonly Contact[]): void {
    const fresh = entries.filter((c) => c.address !== this.rt.address && !this.table.has(c.address) && !this.suspects.has(c.address));
    if (fresh.length === 0) return;
    const target = fresh[this.rt.random.int(fresh.length)];
    this.rt.send(target.address, { t: "rowRequest", level, depth: depth + 1, nonce: this.nextNonce++ }, SIZE.rowRequest, CATEGORY.routing);
  }

  /** Neighbours' inverse neighbours: ask a routing-table neighbour which nodes hold it in their tables. */
  private inverseTuning(): void {
    const high = this.table.highestLevel();
    if (high < 0) return;
    const row = this.table.row(this.tuningLevel(high));
    if (row.length === 0) return;
    const target = row[this.rt.random.int(row.length)];
    this.rt.send(target.address, { t: "inverseRequest" }, SIZE.ping, CATEGORY.routing);
  }

  /** Global tuning: look up a random identifier in a cell of our table and offer its owner to the table. */
  private globalTuning(): void {
    const level = this.tuningLevel(Math.min(this.table.highestLevel() + 1, this.table.levels - 1));
    const mine = digitAt(this.rt.id, level, this.o.digitBits);
    let digit = this.rt.random.int(this.table.base - 1);
    if (digit >= mine) digit++;
    const key = withPrefix(this.rt.id, level, digit, this.o.digitBits, this.rt.random.bits160hex());
    this.routeOn({ t: "route", nonce: 0, kind: "tune", key, tag: this.nextTag++, origin: this.self, hops: 0, path: null, payload: null, payloadBytes: 0, category: null }, 0);
  }
}

const NONE_EXCLUDED: readonly Address[] = [];

/** A ping with its request's nonce, carrying our coordinate when the timeouts come from coordinates. */
const ping = (nonce: number, coordinate: Coordinate | null): Extract<Message, { t: "ping" }> => ({ t: "ping", nonce, coordinate });

