import type { Address, NodeRuntime, RandomStream } from "../../sim/runtime/index.js";
import { PeerNumbers } from "./peer-numbers.js";
import type { TimeoutOptions } from "./timeout-options.js";
import { type Coordinate, Vivaldi } from "./vivaldi.js";

/**
 * How long to wait for a reply from a peer before deciding it is lost: the paper's second design factor.
 * Protocol-independent; every per-hop and probe timeout of a protocol asks its strategy.
 */
export interface TimeoutStrategy {
  /** Current timeout for a message to `peer` (ms). */
  timeout(peer: Address): number;
  /** A reply from `peer` came back `rttMs` after the request. */
  sample(peer: Address, rttMs: number): void;
  /** A request to `peer` timed out. */
  expired(peer: Address): void;
  /** Smoothed RTT to `peer`, if any sample was taken (for proximity neighbour selection). */
  rtt(peer: Address): number | undefined;
  forget(peer: Address): void;
  /** Strategies built on network coordinates: ours, to send with probes, and a peer's, with an RTT to it. */
  coordinate?(): Coordinate;
  observeCoordinate?(peer: Address, rttMs: number, remote: Coordinate): void;
}

/**
 * Smoothed RTTs, which proximity neighbour selection needs whatever the timeouts are: the part every strategy
 * but the TCP-style one (which keeps its own SRTT) shares.
 */
abstract class TracksRtts {
  private readonly srtt = new PeerNumbers(1);

  sample(peer: Address, rttMs: number): void {
    const at = this.srtt.find(peer);
    if (at < 0) this.srtt.values[this.srtt.insert(peer)] = rttMs;
    else this.srtt.values[at] += (rttMs - this.srtt.values[at]) / 8;
  }

  rtt(peer: Address): number | undefined {
    const at = this.srtt.find(peer);
    return at < 0 ? undefined : this.srtt.values[at];
  }

  forget(peer: Address): void {
    this.srtt.delete(peer);
  }

  expired(_peer: Address): void {}
}

/** A constant timeout, whatever the peer (the paper's baseline; FreePastry used fixed timeouts). */
export class FixedTimeouts extends TracksRtts implements TimeoutStrategy {
  constructor(private readonly ms: number) {
    super();
  }

  timeout(_peer: Address): number {
    return this.ms;
  }
}

/**
 * TCP-style timeouts per peer, as Bamboo computes them (Jacobson/Karels): first sample m gives SRTT = m and
 * RTO = 4m + 10 ms; then err = m − SRTT, SRTT += err/8, MDEV += (|err| − MDEV)/4, RTO = SRTT + 4·MDEV + 10 ms.
 * Before any sample the RTO is the maximum; a timeout doubles it, up to the maximum.
 */
export class TcpTimeouts implements TimeoutStrategy {
  /** Per peer: SRTT, MDEV, RTO. */
  private readonly peers = new PeerNumbers(3);

  constructor(
    private readonly maxMs: number,
    private readonly constantMs = 10,
  ) {}

  timeout(peer: Address): number {
    const at = this.peers.find(peer);
    return at < 0 ? this.maxMs : this.peers.values[at + 2];
  }

  sample(peer: Address, m: number): void {
    let at = this.peers.find(peer);
    if (at < 0) {
      at = this.peers.insert(peer);
      const v = this.peers.values;
      v[at] = m;
      v[at + 1] = (3 * m) / 4;
      v[at + 2] = Math.min(this.maxMs, 4 * m + this.constantMs);
      return;
    }
    const v = this.peers.values;
    const err = m - v[at];
    v[at] += err / 8;
    v[at + 1] += (Math.abs(err) - v[at + 1]) / 4;
    v[at + 2] = Math.min(this.maxMs, v[at] + 4 * v[at + 1] + this.constantMs);
  }

  expired(peer: Address): void {
    const at = this.peers.find(peer);
    if (at >= 0) this.peers.values[at + 2] = Math.min(this.maxMs, this.peers.values[at + 2] * 2);
  }

  rtt(peer: Address): number | undefined {
    const at = this.peers.find(peer);
    return at < 0 ? undefined : this.peers.values[at];
  }

  forget(peer: Address): void {
    this.peers.delete(peer);
  }
}

/**
 * Timeouts from virtual coordinates: RTO = predicted RTT + multiplier × average prediction error + constant,
 * so that a timeout can be set for a peer never contacted before, as long as its coordinate is known (it comes
 * with its probes). The multiplier (6) and constant (15 ms) are Bamboo's as commonly reported and configurable.
 */
export class VivaldiTimeouts extends TracksRtts implements TimeoutStrategy {
  private readonly vivaldi: Vivaldi;
  private readonly coordinates = new Map<Address, Coordinate>();
  /** Moving average of the absolute prediction error (ms). */
  private averageError = 0;
  private samples = 0;

  constructor(
    dimensions: number,
    random: RandomStream,
    private readonly maxMs: number,
    private readonly errorMultiplier = 6,
    private readonly constantMs = 15,
  ) {
    super();
    this.vivaldi = new Vivaldi(dimensions, random);
  }

  timeout(peer: Address): number {
    const remote = this.coordinates.get(peer);
    if (remote === undefined || this.samples === 0) return this.maxMs;
    return Math.min(this.maxMs, this.vivaldi.predict(remote) + this.errorMultiplier * this.averageError + this.constantMs);
  }

  override forget(peer: Address): void {
    super.forget(peer);
    this.coordinates.delete(peer);
  }

  coordinate(): Coordinate {
    return this.vivaldi.coordinate;
  }

  observeCoordinate(peer: Address, rttMs: number, remote: Coordinate): void {
    const error = Math.abs(this.vivaldi.predict(remote) - rttMs);
    this.averageError = this.samples === 0 ? error : this.averageError + (error - this.averageError) / 8;
    this.samples++;
    this.vivaldi.observe(rttMs, remote);
    this.coordinates.set(peer, remote);
  }
}

/**
 * The oracle baseline: the true RTT times a factor, as p2psim's Chord sets its timeouts. No deployed system
 * can have it; it bounds what better timeout estimation could gain.
 */
export class OracleTimeouts extends TracksRtts implements TimeoutStrategy {
  constructor(
    private readonly trueRtt: (peer: Address) => number | null,
    private readonly factor: number,
    private readonly maxMs: number,
  ) {
    super();
  }

  timeout(peer: Address): number {
    const rtt = this.trueRtt(peer);
    // Two nodes on one host with no access delay have a true RTT of 0: a 0 ms timeout would fire before any reply.
    return rtt === null ? this.maxMs : Math.max(ORACLE_FLOOR_MS, Math.min(this.maxMs, this.factor * rtt));
  }
}

/** The shortest oracle timeout: long enough for a reply from the same host to arrive first. */
const ORACLE_FLOOR_MS = 1;

/** The strategy a protocol's options name, for one node. */
export function makeTimeouts(rt: NodeRuntime<any>, o: TimeoutOptions): TimeoutStrategy {
  switch (o.timeouts) {
    case "tcp":
      return new TcpTimeouts(o.maxTimeoutMs);
    case "vivaldi":
      return new VivaldiTimeouts(o.vivaldiDimensions ?? 2, rt.random.fork("vivaldi"), o.maxTimeoutMs, o.vivaldiErrorMultiplier ?? 6, o.vivaldiConstantMs ?? 15);
    case "oracle": {
      const oracle = rt.oracleRttMs?.bind(rt);
      if (oracle === undefined) throw new Error("oracle timeouts need a simulated runtime that knows true RTTs");
      return new OracleTimeouts(oracle, o.oracleFactor ?? 2, o.maxTimeoutMs);
    }
    case "fixed":
      return new FixedTimeouts(o.fixedTimeoutMs);
  }
}
