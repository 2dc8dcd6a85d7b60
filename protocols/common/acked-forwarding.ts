import type { Peer } from "./identifiers.js";
import type { Requests } from "./requests.js";

/** A message routed hop by hop: each hop acknowledges it by its nonce; `hops` counts the hops it has made. */
export interface RoutedMessage {
  nonce: number;
  hops: number;
}

/** What a protocol decides about its own routed messages. */
export interface ForwardingRules<M extends RoutedMessage> {
  /** `m` as the next hop is to receive it: a fresh object carrying the hop's `nonce`, one hop further. */
  onward(nonce: number, m: M): M;
  /** Payload bytes and traffic category of `m` sent one hop on (the same as of `onward(nonce, m)`). */
  bytes(m: M): number;
  category(m: M): string;
  /** `hop` did not acknowledge in time: routing must avoid it from now on. */
  suspect(hop: Peer): void;
  /** Route `m` again from this node (the silent hop now suspected); `attempts` re-routes so far. */
  reroute(m: M, attempts: number): void;
}

/** One hop in flight: the Requests context, so that no closure is made per hop. */
interface InFlight<M> {
  hop: Peer;
  message: M;
  attempts: number;
}

/**
 * Recursive routing with per-hop acknowledgements, as Bamboo and MIT Chord route: each hop is sent as a request
 * whose reply is the next node's acknowledgement, timed out by the protocol's timeout strategy (the RTO). A
 * hop not acknowledged in time is suspected and the message re-routed from here, at most `maxReroutes` times
 * per message per node; after that the message is dropped and the lookup times out at its origin.
 */
export class AckedForwarding<M extends RoutedMessage> {
  /** `requests` may be the node's one Requests, shared with its probes: acknowledgements are answered into it. */
  constructor(
    private readonly requests: Requests<NoInfer<M>>,
    private readonly rules: ForwardingRules<M>,
    private readonly maxReroutes: number,
  ) {}

  /** Sends `m` one hop on, to `hop`; `attempts` counts the re-routes of `m` at this node so far. */
  forward(hop: Peer, m: M, attempts: number): void {
    const inFlight: InFlight<M> = { hop, message: m, attempts };
    this.requests.send(hop.address, this.rules.onward, m, this.rules.bytes(m), this.rules.category(m), noop, this.silent, inFlight);
  }

  private readonly silent = (f: InFlight<M>): void => {
    this.rules.suspect(f.hop);
    if (f.attempts < this.maxReroutes) this.rules.reroute(f.message, f.attempts + 1);
  };
}

const noop = () => {};
