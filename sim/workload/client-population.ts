import type { LiveSet } from "../churn/live-set.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { Address } from "../runtime/node-runtime.js";
import type { ClientsSpec } from "../scenario/storage-spec.js";

/** The incarnation of a gateway node a client talks to: whether it is still there, and who it is. */
export interface GatewayIncarnation {
  readonly active: boolean;
  readonly address: Address;
  readonly id: string;
}

/** What clients need of the simulation: the nodes that can serve as gateways, and how far they are. */
export interface ClientNetwork {
  readonly joined: LiveSet;
  /** Hosts of the latency model: each client lives on one, drawn uniformly. */
  readonly hosts: number;
  /** One-way delay from a client's host to a node (µs), access links included. */
  delayUs(clientHost: number, node: Address): number;
  incarnation(node: Address): GatewayIncarnation;
}

/** One OpenDHT client: its identity (its index), its group, where it is, and the gateway it uses now. */
export interface Client {
  readonly index: number;
  readonly group: number;
  readonly host: number;
  /** −1 until the client picks one, and again after its gateway fell silent. */
  gateway: Address;
  gatewayIncarnation: GatewayIncarnation | null;
}

/**
 * The client population of a scenario's `storage.clients`: clients apart from the DHT's nodes, which do not churn.
 * Each uses a gateway, the nearest joined node by latency from its host (as OpenDHT's clients found a nearby
 * gateway) or a random one, and keeps it until an operation through it goes unanswered for `gatewayTimeout`.
 */
export class ClientPopulation {
  readonly clients: Client[] = [];
  /** Clients of each group, by group index: [first, end). */
  readonly groupRanges: Array<{ first: number; end: number }> = [];

  constructor(
    readonly spec: ClientsSpec,
    private readonly network: ClientNetwork,
    private readonly rng: SeededRandom,
  ) {
    spec.groups.forEach((g, group) => {
      const first = this.clients.length;
      for (let k = 0; k < g.count; k++) {
        this.clients.push({ index: this.clients.length, group, host: rng.int(network.hosts), gateway: -1, gatewayIncarnation: null });
      }
      this.groupRanges.push({ first, end: this.clients.length });
    });
  }

  /** A client an application adds as it runs (a ReDiR member), in no group: group −1. */
  addClient(): Client {
    const c: Client = { index: this.clients.length, group: -1, host: this.rng.int(this.network.hosts), gateway: -1, gatewayIncarnation: null };
    this.clients.push(c);
    return c;
  }

  /** A uniformly drawn client of `group`. */
  pick(group: number): Client {
    const { first, end } = this.groupRanges[group];
    return this.clients[first + this.rng.int(end - first)];
  }

  /** The client's gateway, picked now if it has none; −1 when no node has joined yet. */
  gatewayOf(c: Client): Address {
    if (c.gateway !== -1) return c.gateway;
    const joined = this.network.joined;
    if (joined.size === 0) return -1;
    let best = joined.at(this.rng.int(joined.size));
    if (this.spec.gateway === "nearest") {
      let bestDelay = this.network.delayUs(c.host, best);
      for (let i = 0; i < joined.size; i++) {
        const a = joined.at(i);
        const d = this.network.delayUs(c.host, a);
        if (d < bestDelay) {
          best = a;
          bestDelay = d;
        }
      }
    }
    c.gateway = best;
    c.gatewayIncarnation = this.network.incarnation(best);
    return best;
  }

  /** The client heard nothing from its gateway in time: it will pick another for its next try. */
  gatewaySilent(c: Client): void {
    c.gateway = -1;
    c.gatewayIncarnation = null;
  }

  delayUs(c: Client): number {
    return c.gateway === -1 ? 0 : this.network.delayUs(c.host, c.gateway);
  }
}
