import { type Address, type Contact, type Id, ID_BITS, ID_HEX_DIGITS, type LookupHandle, type NodeRuntime, type ProtocolNode, type TimerHandle } from "../../sim/runtime/index.js";
import type { KbrUpcalls, KeyBasedRouting } from "../../sim/runtime/key-based-routing.js";
import { AckedForwarding, type ForwardingRules } from "../common/acked-forwarding.js";
import { ForgottenNeighbours } from "../common/forgotten-neighbours.js";
import { clockwise, clockwiseBefore, type Peer, peerOf, RING, type RingPoint, ringPoint, sameId } from "../common/identifiers.js";
import { every } from "../common/periodic.js";
import { Requests } from "../common/requests.js";
import { makeTimeouts, type TimeoutStrategy } from "../common/timeouts.js";
import type { Coordinate } from "../common/vivaldi.js";
import { CHORD_CATEGORY, CHORD_SIZE, type ChordMessage } from "./messages.js";
import type { ChordOptions } from "./options.js";

type Route = Extract<ChordMessage, { t: "route" }>;
type App = Extract<ChordMessage, { t: "app" }>;
type Request = Extract<ChordMessage, { t: "getPredecessor" | "ping" }>;

/** A stabilisation or liveness request with its nonce. */
const request = (nonce: number, t: Request["t"]): Request => ({ t, nonce });

const MAX_REROUTES = 6;
const noop = (): void => {};
/** A lookup still going after this many hops is caught in a broken ring: it is abandoned. */
const MAX_HOPS = 64;

/** x in (a, b) going clockwise; with a = b, everything but a. */
function between(a: RingPoint, x: RingPoint, b: RingPoint): boolean {
  return !sameId(x, a) && (sameId(a, b) || clockwiseBefore(a, x, b));
}

/** x in (a, b]; with a = b, the whole ring. */
function betweenRight(a: RingPoint, x: RingPoint, b: RingPoint): boolean {
  return sameId(a, b) || (!sameId(x, a) && !clockwiseBefore(a, b, x));
}

/** Two successor lists naming the same nodes in the same order. */
function sameList(a: readonly Peer[], b: readonly Peer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].address !== b[i].address) return false;
  return true;
}

/** The identifier `2^i` clockwise from `value`. */
const fingerStart = (value: bigint, i: number): Id => ((value + (1n << BigInt(i))) % RING).toString(16).padStart(ID_HEX_DIGITS, "0");

/** The members of a converged start as peers, made once per start and shared by every node. */
const convergedRings = new WeakMap<readonly Contact[], Peer[]>();

function convergedRing(members: readonly Contact[]): Peer[] {
  let ring = convergedRings.get(members);
  if (ring === undefined) convergedRings.set(members, (ring = members.map((c) => peerOf(c))));
  return ring;
}

/**
 * The index of the first peer at or after `x` in `ring` (sorted by identifier); `ring.length` when none is.
 * Identifiers are hex of one width, so they compare as strings.
 */
function lowerBound(ring: readonly Peer[], x: RingPoint): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid].id < x.id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A Chord node (Stoica et al., SIGCOMM 2001, as in MIT's implementation): a successor list, a predecessor and a
 * finger table, kept by periodic stabilisation, finger repair and predecessor checks; lookups recursive with
 * per-hop acknowledgements, or iterative. A key's owner is its successor.
 *
 * Key-based routing: a payload is routed recursively with per-hop acknowledgements, as recursive lookups are
 * (whatever `routing` is), and delivered at the key's successor; replica sets are successor lists.
 */
export class ChordNode implements ProtocolNode<ChordMessage>, KeyBasedRouting {
  readonly self: Peer;
  private successors: Peer[] = [];
  private predecessor: Peer | null = null;
  private readonly fingers: (Peer | null)[] = new Array(ID_BITS).fill(null);
  private nextFinger = ID_BITS - 1;
  /** The successor `lowestFinger` was worked out for. */
  private lowestFor: Peer | null = null;
  private lowestFinger = ID_BITS - 1;
  private readonly timeouts: TimeoutStrategy;
  /** Our coordinate to send with replies, when the timeouts come from coordinates: asked for once, not per reply. */
  private readonly ownCoordinate: (() => Coordinate) | undefined;
  private readonly lookups = new Map<number, LookupHandle>();
  private readonly steps = new Map<number, { handle: LookupHandle; key: Id; hops: number; asked: Peer; timer: TimerHandle; sentAt: number; attempts: number }>();
  /** Stabilisation and liveness requests, and route hops awaiting their acknowledgement. */
  private readonly requests: Requests<Request | Route | App>;
  private readonly forwarding: AckedForwarding<Route>;
  private readonly appForwarding: AckedForwarding<App>;
  private nextTag = 0;
  /** We know a successor and maintain our tables. */
  private maintaining = false;
  /** The ring routes to us (the first node, or a predecessor has notified us): we may be a key's root. */
  private inRing = false;
  /** We made the ring (no gateway to join through): with no successor we are the whole ring, not lost. */
  private founder = false;
  private upcalls: KbrUpcalls | null = null;
  /** `neighbours()`, made when first asked for after a change. */
  private neighbourList: Peer[] | null = null;
  /** When we last set out to rejoin, and whether a later attempt is already due. */
  private lastRejoinAt = -Infinity;
  private rejoinDue = false;
  /** Healing on: nodes dropped after failing to answer, re-probed in turn (null with healing off). */
  private readonly forgotten: ForgottenNeighbours | null;

  constructor(
    private readonly rt: NodeRuntime<ChordMessage>,
    private readonly o: ChordOptions,
  ) {
    this.self = peerOf({ address: rt.address, id: rt.id });
    this.timeouts = makeTimeouts(rt, o);
    this.ownCoordinate = this.timeouts.coordinate?.bind(this.timeouts);
    this.requests = new Requests(rt, this.timeouts);
    this.forwarding = new AckedForwarding(this.requests, this.routeRules, MAX_REROUTES);
    this.appForwarding = new AckedForwarding(this.requests, this.appRules, MAX_REROUTES);
    this.forgotten = o.heal === "reprobe" ? new ForgottenNeighbours(o.healListSize) : null;
  }

  private get successor(): Peer {
    return this.successors[0] ?? this.self;
  }

  // Joining and periodic maintenance

  join(gateway: Contact | null): void {
    if (gateway === null) {
      this.founder = true;
      return this.becomeJoined();
    }
    const tag = this.nextTag++;
    this.forwarding.forward(peerOf(gateway), { t: "route", nonce: 0, kind: "join", key: this.rt.id, tag, origin: this.self, hops: 0 }, 0);
    this.rt.setTimer(this.o.joinRetryMs, () => {
      if (!this.maintaining) this.join(this.rt.bootstrap());
    });
  }

  /**
   * A converged start (p2psim's initstate): our successor list, predecessor and fingers as a correct ring of
   * `members` (sorted by identifier, us among them) has them, then maintenance as after a join. Each finger is
   * the successor of its start, 2^i after us; fingers that name the same node share one object, as found fingers do.
   */
  startConverged(members: readonly Contact[]): void {
    const ring = convergedRing(members);
    const n = ring.length;
    const at = lowerBound(ring, this.self);
    if (n <= 1 || ring[at]?.address !== this.rt.address) {
      // Alone (or, which the engine never does, not among the members): the founder of a ring of one.
      this.founder = true;
      return this.becomeJoined();
    }
    const list: Peer[] = [];
    for (let j = 1; j < n && list.length < this.o.successors; j++) list.push(ring[(at + j) % n]);
    this.setSuccessors(list);
    this.setPredecessor(ring[(at - 1 + n) % n]);
    for (let i = 0; i < ID_BITS; i++) {
      const owner = ring[lowerBound(ring, ringPoint(fingerStart(this.self.value, i))) % n];
      this.fingers[i] = owner.address === this.rt.address ? null : owner;
    }
    this.maintaining = true;
    this.reportJoined();
    this.startMaintenance();
  }

  /**
   * We know our successor: start maintenance. We report ourselves joined only once our predecessor has
   * notified us, i.e. once the ring routes to us; the first node is its own ring at once.
   */
  private becomeJoined(): void {
    if (this.maintaining) return;
    this.maintaining = true;
    if (this.successors.length === 0) this.reportJoined();
    this.startMaintenance();
    this.stabilize();
  }

  private startMaintenance(): void {
    every(this.rt, this.o.stabilizeMs, () => this.stabilize(), { first: "phase" });
    every(this.rt, this.o.fixFingersMs, () => this.fixFinger(), { first: "phase" });
    every(this.rt, this.o.checkPredecessorMs, () => this.checkPredecessor(), { first: "phase" });
    // Last, so that with healing off every earlier timer draws from the random stream as before.
    if (this.forgotten !== null) every(this.rt, this.o.healPeriodMs, () => this.reprobeForgotten(), { first: "phase" });
  }

  /** Ask our successor for its predecessor and successor list; adopt a closer successor; notify it of us. */
  private stabilize(): void {
    const s = this.successor;
    if (s.address === this.rt.address) {
      if (this.founder && this.predecessor !== null) this.adoptSuccessors([this.predecessor]);
      return;
    }
    this.request(s, "getPredecessor", CHORD_SIZE.getPredecessor, CHORD_CATEGORY.stabilize);
  }

  /**
   * Our successor's predecessor lies between us and it: it is our closer successor, and we ask it in turn at once
   * rather than a period later, as p2psim's and MIT's Chord do. Nodes that join at the same time all find the same
   * successor; taking one step a period, each learns one more of the nodes ahead of it per period, and a gap that
   * k of them joined needs k periods (at 144 s, 1,024 nodes joining in two minutes left the ring 31% correct after
   * six hours). Only once our successor's predecessor is us or behind us do we notify it. Each step takes a
   * successor strictly closer to us, so the walk ends.
   */
  private onPredecessor(from: Peer, predecessor: Contact | null, successors: Contact[]): void {
    // A late reply from a node we have since passed over for a closer successor would undo that.
    if (from.address !== this.successor.address && !between(this.self, from, this.successor)) return;
    const list = [from, ...successors.map((c) => peerOf(c))];
    const p = predecessor === null ? null : peerOf(predecessor);
    const closer = p !== null && between(this.self, p, from);
    if (closer) list.unshift(p);
    this.adoptSuccessors(list);
    if (closer) return this.stabilize();
    this.rt.send(this.successor.address, { t: "notify", who: this.self }, CHORD_SIZE.notify, CHORD_CATEGORY.stabilize);
  }

  /** `n` was named to us as lying between us and our successor: ask it at once, as a stabilisation step. */
  private consider(n: Peer): void {
    this.request(n, "getPredecessor", CHORD_SIZE.getPredecessor, CHORD_CATEGORY.stabilize);
  }

  /**
   * Our successor list from a list starting at our (new) successor: without us, without duplicates, k long. The
   * list is short (k is 16 in p2psim's workload), so duplicates are found by scanning it rather than by a set made
   * and grown on every stabilisation reply.
   */
  private adoptSuccessors(list: Peer[]): void {
    const out: Peer[] = [];
    for (const p of list) {
      if (p.address === this.rt.address || out.some((q) => q.address === p.address)) continue;
      out.push(p);
      if (out.length === this.o.successors) break;
    }
    this.setSuccessors(out);
  }

  private checkPredecessor(): void {
    if (this.predecessor !== null) this.request(this.predecessor, "ping", CHORD_SIZE.ping, CHORD_CATEGORY.probe);
  }

  /**
   * Repairs one finger per period, from the top: fingers below the gap to our successor all point to the
   * successor, so only about log2 N of the 160 need lookups.
   */
  private fixFinger(): void {
    const lowest = this.lowestFingerToLookUp();
    for (let i = 0; i < lowest; i++) this.fingers[i] = this.successors[0] ?? null;
    if (this.nextFinger < lowest) this.nextFinger = ID_BITS - 1;
    const i = this.nextFinger--;
    const key = fingerStart(this.self.value, i);
    this.routeHop({ t: "route", nonce: 0, kind: "finger", key, tag: i, origin: this.self, hops: 0 }, 0);
  }

  /** The lowest finger past the gap to our successor; worked out again only when the successor changes. */
  private lowestFingerToLookUp(): number {
    const s = this.successor;
    if (s !== this.lowestFor) {
      const gap = clockwise(this.self.value, s.value);
      this.lowestFinger = gap === 0n ? ID_BITS - 1 : Math.min(ID_BITS - 1, gap.toString(2).length - 1);
      this.lowestFor = s;
    }
    return this.lowestFinger;
  }

  // Routing

  /** The node among our fingers and successors that most closely precedes `key`, or ourselves. */
  closestPreceding(key: RingPoint): Peer {
    let best = this.self;
    // Fingers below the gap to our successor all hold it: a repeat of the previous finger changes nothing.
    for (let i = 0; i < ID_BITS; i++) if (i === 0 || this.fingers[i] !== this.fingers[i - 1]) best = this.closerPreceding(best, this.fingers[i], key);
    for (let i = 0; i < this.successors.length; i++) best = this.closerPreceding(best, this.successors[i], key);
    return best;
  }

  /** `p` when it lies between us and `key` and after `best` (or `best` is ourselves); otherwise `best`. */
  private closerPreceding(best: Peer, p: Peer | null, key: RingPoint): Peer {
    if (p === null || !between(this.self, p, key)) return best;
    return best === this.self || clockwiseBefore(this.self, best, p) ? p : best;
  }

  lookup(key: Id, handle: LookupHandle): void {
    const tag = this.nextTag++;
    if (this.o.routing === "iterative") return this.step(tag, handle, key, 0, this.self, 0);
    this.lookups.set(tag, handle);
    this.routeHop({ t: "route", nonce: 0, kind: "lookup", key, tag, origin: this.self, hops: 0 }, 0);
  }

  private routeHop(m: Route, attempts: number): void {
    if (m.hops > MAX_HOPS) return;
    const key = ringPoint(m.key);
    if (betweenRight(this.self, key, this.successor)) return this.answer(m, this.successor);
    const next = this.closestPreceding(key);
    if (next.address === this.rt.address) return this.answer(m, this.successor);
    this.forwarding.forward(next, m, attempts);
  }

  private answer(m: Route, owner: Peer): void {
    const found: ChordMessage = { t: "found", kind: m.kind, tag: m.tag, owner, hops: m.hops };
    if (m.origin.address === this.rt.address) this.found(found);
    else this.rt.send(m.origin.address, found, CHORD_SIZE.found, CHORD_CATEGORY[m.kind]);
  }

  /** Each hop acknowledged; a silent one has failed and the message is re-routed from here. */
  private readonly routeRules: ForwardingRules<Route> = {
    onward: (nonce, m) => ({ t: "route", nonce, kind: m.kind, key: m.key, tag: m.tag, origin: m.origin, hops: m.hops + 1 }),
    bytes: () => CHORD_SIZE.route,
    category: (m) => CHORD_CATEGORY[m.kind],
    suspect: (hop) => this.failed(hop),
    reroute: (m, attempts) => this.routeHop(m, attempts),
  };

  private found(m: Extract<ChordMessage, { t: "found" }>): void {
    const owner = peerOf(m.owner);
    if (m.kind === "join") {
      if (this.successors.length > 0 || owner.address === this.rt.address) return;
      this.setSuccessors([owner]);
      if (this.maintaining) return this.stabilize(); // back in the ring after losing every successor
      return this.becomeJoined();
    }
    if (m.kind === "finger") {
      // The finger's owner also serves every lower finger whose start (2^i after us) it covers: all of them when
      // it covers the next one down.
      const reach = clockwise(this.self.value, owner.value);
      const lowest = m.tag > 0 && (reach === 0n || 1n << BigInt(m.tag - 1) <= reach) ? 0 : m.tag;
      for (let i = m.tag; i >= lowest; i--) {
        this.fingers[i] = owner.address === this.rt.address ? null : owner;
      }
      if (this.o.fingerPns && owner.address !== this.rt.address) this.chooseNearFinger(m.tag, owner);
      return;
    }
    const handle = this.lookups.get(m.tag);
    if (handle === undefined) return;
    this.lookups.delete(m.tag);
    this.rt.reportLookup(handle, m.owner.id, m.hops);
  }

  /**
   * Proximity-aware finger choice: any node in [n + 2^i, n + 2^(i+1)) serves as finger i, so among the found
   * node and its successors in that interval, take the one with the lowest measured RTT.
   */
  private chooseNearFinger(i: number, owner: Peer): void {
    const low = 1n << BigInt(i);
    const high = i + 1 >= ID_BITS ? RING : 1n << BigInt(i + 1);
    const inRange = (p: Peer) => {
      const d = clockwise(this.self.value, p.value);
      return d >= low && d < high;
    };
    let bestRtt = Infinity;
    const offer = (p: Peer) =>
      this.request(p, "ping", CHORD_SIZE.ping, CHORD_CATEGORY.finger, (_m, rtt) => {
        if (rtt >= bestRtt || !inRange(p)) return;
        bestRtt = rtt;
        if (this.fingers[i]?.address === owner.address || this.fingers[i] === null || inRange(this.fingers[i] as Peer)) this.fingers[i] = p;
      });
    offer(owner);
    this.request(owner, "getPredecessor", CHORD_SIZE.getPredecessor, CHORD_CATEGORY.finger, (m) => {
      if (m.t !== "predecessor") return;
      for (const c of m.successors) {
        const p = peerOf(c);
        if (p.address !== this.rt.address && inRange(p)) offer(p);
      }
    });
  }

  // Iterative lookups: we ask each node for its closest preceding node until one names the key's successor.

  private step(tag: number, handle: LookupHandle, key: Id, hops: number, asked: Peer, attempts: number): void {
    if (hops > MAX_HOPS) return this.rt.reportLookup(handle, null, hops);
    if (asked.address === this.rt.address) {
      const k = ringPoint(key);
      if (betweenRight(this.self, k, this.successor)) return this.rt.reportLookup(handle, this.successor.id, hops);
      const next = this.closestPreceding(k);
      if (next.address === this.rt.address) return this.rt.reportLookup(handle, this.successor.id, hops);
      return this.step(tag, handle, key, hops, next, attempts);
    }
    const timer = this.rt.setTimer(this.timeouts.timeout(asked.address), () => {
      if (!this.steps.delete(tag)) return;
      this.failed(asked);
      if (attempts >= MAX_REROUTES) return this.rt.reportLookup(handle, null, hops);
      this.step(tag, handle, key, hops, this.self, attempts + 1);
    });
    this.steps.set(tag, { handle, key, hops, asked, timer, sentAt: this.rt.now(), attempts });
    this.rt.send(asked.address, { t: "step", tag, key }, CHORD_SIZE.step, CHORD_CATEGORY.lookup);
  }

  private stepAnswered(from: Address, tag: number, done: boolean, next: Contact): void {
    const s = this.steps.get(tag);
    if (s === undefined || s.asked.address !== from) return;
    this.steps.delete(tag);
    this.rt.cancelTimer(s.timer);
    this.timeouts.sample(from, this.rt.now() - s.sentAt);
    if (done) return this.rt.reportLookup(s.handle, next.id, s.hops + 1);
    this.step(tag, s.handle, s.key, s.hops + 1, peerOf(next), s.attempts);
  }

  // Requests with timeouts (stabilisation, predecessor checks, finger choice): a silent node has failed.

  private request(
    peer: Peer,
    t: Request["t"],
    bytes: number,
    category: string,
    onReply?: (m: ChordMessage, rtt: number) => void,
  ): void {
    const fallback = (reply: ChordMessage) => {
      if (reply.t === "predecessor") this.onPredecessor(peer, reply.predecessor, reply.successors);
    };
    this.requests.send(peer.address, request, t, bytes, category, onReply ?? fallback, () => this.failed(peer));
  }

  /**
   * A node did not answer: it leaves every table; a successor list left empty falls back on a finger (ahead of us:
   * stabilisation walks back from it), else we join again. Not on our predecessor: a successor behind us closed
   * two-node loops with it.
   */
  private failed(p: Peer): void {
    this.forgotten?.add(p, this.rt.now() + this.o.healMemoryMs);
    this.setSuccessors(this.successors.filter((s) => s.address !== p.address));
    for (let i = 0; i < ID_BITS; i++) if (this.fingers[i]?.address === p.address) this.fingers[i] = null;
    if (this.predecessor?.address === p.address) this.setPredecessor(null);
    if (this.successors.length === 0) {
      const fallback = this.fingers.find((f) => f !== null);
      if (fallback != null) this.setSuccessors([fallback]);
      else this.rejoin();
    }
  }

  /**
   * Every successor and finger has failed: find our place again through a node of the overlay. At most once per
   * join-retry period: when the place found does not answer either, an immediate retry after every failure
   * would feed on itself (one node sent 20 join routes a second under p2psim's workload).
   */
  private rejoin(): void {
    if (this.rejoinDue) return;
    const wait = this.lastRejoinAt + this.o.joinRetryMs - this.rt.now();
    if (wait > 0) {
      this.rejoinDue = true;
      this.rt.setTimer(wait, () => {
        this.rejoinDue = false;
        if (this.successors.length === 0) this.rejoin();
      });
      return;
    }
    this.lastRejoinAt = this.rt.now();
    const gateway = this.rt.bootstrap();
    if (gateway === null) return;
    // No re-route, as we have no table to route by: if the answer does not come (the gateway silent, the reply
    // lost), we try again after the join-retry period; nothing else would, as a node with no successor sends nothing.
    this.forwarding.forward(peerOf(gateway), { t: "route", nonce: 0, kind: "join", key: this.rt.id, tag: this.nextTag++, origin: this.self, hops: 0 }, MAX_REROUTES);
    this.rt.setTimer(this.o.joinRetryMs, () => {
      if (this.successors.length === 0) this.rejoin();
    });
  }

  // Healing

  /**
   * Re-probes one dropped node, in turn. After a partition each side has dropped the other from its successor
   * lists and fingers, and stabilisation only ever asks nodes already known: nothing would cross the cut again.
   * A node back among our successors, predecessor or fingers needs no re-probe.
   */
  private reprobeForgotten(): void {
    const forgotten = this.forgotten as ForgottenNeighbours;
    for (let tries = forgotten.size; tries > 0; tries--) {
      const p = forgotten.next(this.rt.now());
      if (p === null) return;
      if (this.knows(p.address)) {
        forgotten.delete(p.address);
        continue;
      }
      // Silence keeps it on the list until it expires; a reply is the cut healing.
      return this.requests.send(p.address, request, "ping", CHORD_SIZE.ping, CHORD_CATEGORY.probe, () => this.rediscover(p), noop);
    }
  }

  private knows(address: Address): boolean {
    return this.predecessor?.address === address || this.successors.some((s) => s.address === address) || this.fingers.some((f) => f?.address === address);
  }

  /**
   * A dropped node answered. As in ring unification (Shafaat et al., 2008), each of the two checks whether the
   * other belongs between it and its successor: we ask it at once if it lies between us and ours (a stabilisation
   * step, which walks on to the right node of its ring), and we notify it of us, so that it takes us for its
   * predecessor or asks us in turn. Each node's former successor across the cut is on its list, so every link
   * broken by the partition is offered back. A node that lost every successor (heavy loss can leave one so, its
   * join answers lost too) joins again through the node that answered, which stays on the list until we are back.
   */
  private rediscover(p: Peer): void {
    if (!this.placed) {
      const join: Route = { t: "route", nonce: 0, kind: "join", key: this.rt.id, tag: this.nextTag++, origin: this.self, hops: 0 };
      return this.forwarding.forward(p, join, MAX_REROUTES);
    }
    this.forgotten?.delete(p.address);
    if (this.successors.length > 0 && between(this.self, p, this.successor)) this.consider(p);
    this.rt.send(p.address, { t: "notify", who: this.self }, CHORD_SIZE.notify, CHORD_CATEGORY.stabilize);
  }

  // The neighbour set: successor list and predecessor

  private setSuccessors(list: Peer[]): void {
    const old = this.successors;
    this.successors = list;
    // Compared only when someone reads the neighbour set: stabilisation replaces the list every period.
    if ((this.upcalls !== null || this.neighbourList !== null) && !sameList(old, list)) this.neighboursChanged();
  }

  private setPredecessor(p: Peer | null): void {
    if (p?.address === this.predecessor?.address) return;
    this.predecessor = p;
    this.neighboursChanged();
  }

  private neighboursChanged(): void {
    this.neighbourList = null;
    this.upcalls?.neighboursChanged();
  }

  /**
   * We can route and answer stabilisation: we have joined and know a successor, or made the ring and are alone in
   * it. A node that lost every successor is not a ring of its own until it has joined again: answering lookups for
   * every key and taking its first notifier for its successor closed two-node loops that swallowed lookups.
   */
  private get placed(): boolean {
    return this.maintaining && (this.successors.length > 0 || this.founder);
  }

  private reportJoined(): void {
    this.inRing = true;
    this.rt.reportJoined();
  }

  // Key-based routing

  get routing(): KeyBasedRouting {
    return this;
  }

  get joined(): boolean {
    return this.inRing;
  }

  get maxReplicas(): number {
    return this.o.successors + 1;
  }

  setUpcalls(upcalls: KbrUpcalls): void {
    this.upcalls = upcalls;
  }

  neighbours(): readonly Peer[] {
    if (this.neighbourList !== null) return this.neighbourList;
    const list = this.successors.slice();
    const p = this.predecessor;
    if (p !== null && p.address !== this.rt.address && !list.some((s) => s.address === p.address)) list.push(p);
    return (this.neighbourList = list);
  }

  /** The key's first `r` successors as we know them: ours when the key is ours or our successor's, else none. */
  replicaSet(key: Id, r: number): Contact[] {
    if (!this.inRing) return [];
    const k = ringPoint(key);
    if (this.successors.length === 0 || (this.predecessor !== null && betweenRight(this.predecessor, k, this.self))) {
      return r <= 0 ? [] : [this.self, ...this.successors.slice(0, r - 1)];
    }
    if (betweenRight(this.self, k, this.successors[0])) return this.successors.slice(0, r);
    return [];
  }

  route(key: Id, payload: object, bytes: number, category: string): void {
    this.routeApp({ t: "app", nonce: 0, key, payload, bytes, category, origin: this.self, hops: 0, last: false }, 0, false);
  }

  /**
   * One step of a routed payload, as `routeHop` steps a lookup: delivered here when we take ourselves for the
   * key's root (it lies in (predecessor, us], or the previous hop named us its successor and we know no better),
   * else sent on to the closest preceding node, or to our successor once the key lies between us and it.
   * `arrived`: `m` came from another node (not a re-route of our own hop), so its `last` speaks to us.
   */
  private routeApp(m: App, attempts: number, arrived: boolean): void {
    if (m.hops > MAX_HOPS) return;
    const key = ringPoint(m.key);
    const s = this.successor;
    // Alone in the ring we are every key's root; with no successor outside it, we cannot route at all.
    if (s === this.self) return this.founder ? this.deliver(m) : undefined;
    if (this.predecessor !== null && betweenRight(this.predecessor, key, this.self)) return this.deliver(m);
    if (betweenRight(this.self, key, s)) return this.forwardApp(s, m, true, attempts);
    if (arrived && m.last) return this.deliver(m);
    const next = this.closestPreceding(key);
    if (next.address === this.rt.address) return this.forwardApp(s, m, true, attempts);
    this.forwardApp(next, m, false, attempts);
  }

  private forwardApp(next: Peer, m: App, last: boolean, attempts: number): void {
    this.upcalls?.forward?.(m.key, m.payload, next);
    // The flag rides on the message handed on; a copy only when it changes (the last hop, re-routes).
    this.appForwarding.forward(next, m.last === last ? m : { ...m, last }, attempts);
  }

  private deliver(m: App): void {
    this.upcalls?.deliver(m.key, m.payload, m.origin, m.hops);
  }

  private readonly appRules: ForwardingRules<App> = {
    onward: (nonce, m) => ({ t: "app", nonce, key: m.key, payload: m.payload, bytes: m.bytes, category: m.category, origin: m.origin, hops: m.hops + 1, last: m.last }),
    bytes: (m) => CHORD_SIZE.app(m.bytes),
    category: (m) => m.category,
    suspect: (hop) => this.failed(hop),
    reroute: (m, attempts) => this.routeApp(m, attempts, false),
  };

  receive(from: Address, m: ChordMessage): void {
    switch (m.t) {
      case "route":
        // Until we have joined (again) we cannot route: no acknowledgement, so the sender routes round us.
        if (!this.placed) return;
        this.rt.send(from, { t: "ack", nonce: m.nonce }, CHORD_SIZE.ack, CHORD_CATEGORY[m.kind]);
        return this.routeHop(m, 0);
      case "app":
        // As for lookups: not yet joined, no acknowledgement, so the sender routes round us.
        if (!this.placed) return;
        this.rt.send(from, { t: "appAck", nonce: m.nonce }, CHORD_SIZE.ack, m.category);
        return this.routeApp(m, 0, true);
      case "ack":
      case "appAck":
        this.requests.answer(from, m.nonce, m);
        return;
      case "found":
        return this.found(m);
      case "step": {
        const key = ringPoint(m.key);
        const done = betweenRight(this.self, key, this.successor);
        const next = done ? this.successor : this.closestPreceding(key);
        // Naming ourselves would loop: the asker goes on from our successor instead.
        const answer = !done && next.address === this.rt.address ? this.successor : next;
        this.rt.send(from, { t: "stepReply", tag: m.tag, done, next: answer }, CHORD_SIZE.stepReply, CHORD_CATEGORY.lookup);
        return;
      }
      case "stepReply":
        return this.stepAnswered(from, m.tag, m.done, m.next);
      case "getPredecessor": {
        // A node back under its old identity is still in stale successor lists; until it has joined, its empty
        // answer would cut the asker's list to itself. Silence makes the asker drop it instead.
        if (!this.placed) return;
        const list = this.successors.slice(0, this.o.successors - 1);
        const coordinate = this.ownCoordinate?.() ?? null;
        this.rt.send(
          from,
          { t: "predecessor", nonce: m.nonce, predecessor: this.predecessor, successors: list, coordinate },
          CHORD_SIZE.predecessor(list.length) + CHORD_SIZE.coordinate(coordinate),
          CHORD_CATEGORY.stabilize,
        );
        return;
      }
      case "predecessor":
        this.requests.answer(from, m.nonce, m);
        return;
      case "notify": {
        // Not yet joined, a notifier is no successor of ours: taking it would close a two-node loop.
        if (!this.placed) return;
        const n = peerOf(m.who);
        if (n.address === this.rt.address) return;
        const old = this.predecessor;
        if (old === null || between(old, n, this.self)) {
          this.setPredecessor(n);
          // Our former predecessor took us for its successor: its successor pointer now skips n. Told at once,
          // it asks n in turn, so a newcomer is linked in within round trips rather than stabilisation periods.
          if (old !== null) this.rt.send(old.address, { t: "notify", who: n }, CHORD_SIZE.notify, CHORD_CATEGORY.stabilize);
        } else if (this.successors.length > 0 && between(this.self, n, this.successor)) this.consider(n);
        if (m.who.address === from) this.reportJoined();
        // Alone in the ring we made, our first contact is also our successor: the ring closes.
        if (this.successors.length === 0) this.setSuccessors([n]);
        return;
      }
      case "ping": {
        const coordinate = this.ownCoordinate?.() ?? null;
        this.rt.send(from, { t: "pong", nonce: m.nonce, coordinate }, CHORD_SIZE.ping + CHORD_SIZE.coordinate(coordinate), CHORD_CATEGORY.probe);
        return;
      }
      case "pong":
        this.requests.answer(from, m.nonce, m);
        return;
    }
  }
}

