import type { Id } from "../../sim/runtime/ids.js";
import { InMemoryDht, type InMemoryDhtOptions } from "./in-memory-dht.js";
import { MemberValues, type MemberRecord } from "./member-record.js";
import { MemberOracle } from "./member-oracle.js";
import { namespaceNamed, RedirClient, type LookupResult, type RedirOptions, type Registration, type RegistrationRound } from "./redir-client.js";
import { VirtualTimers } from "./virtual-timers.js";

/** Tests' scaffolding: one namespace over the in-memory service, members registered by id, lookups run to the end. */
export class TestNamespace {
  readonly timers = new VirtualTimers();
  readonly dht: InMemoryDht;
  readonly client: RedirClient;
  readonly oracle = new MemberOracle();
  readonly namespace: Id = namespaceNamed("test");
  readonly rounds: RegistrationRound[] = [];
  readonly registrations = new Map<Id, Registration>();

  constructor(
    readonly ttlMs: number,
    redir: Partial<RedirOptions> = {},
    dht: Partial<InMemoryDhtOptions> = {},
  ) {
    this.dht = new InMemoryDht(this.timers, dht);
    this.client = new RedirClient(this.dht, this.timers, new MemberValues(), redir);
  }

  register(member: MemberRecord): void {
    const registration = this.client.register(this.namespace, member, this.ttlMs, (round) => {
      this.rounds.push(round);
      this.oracle.registered(this.namespace, member, round.startedAt + this.ttlMs);
    });
    this.registrations.set(member.id, registration);
  }

  /** The member stops refreshing and leaves. */
  leave(member: MemberRecord): void {
    this.registrations.get(member.id)?.cancel();
    this.oracle.departed(this.namespace, member);
  }

  /** Run a lookup to its end (time moves on by its latency, or by `settleMs` at most). */
  lookup(key: Id, settleMs = 600_000): LookupResult {
    let result: LookupResult | null = null;
    this.client.lookup(this.namespace, key, (r) => (result = r));
    const until = this.timers.now() + settleMs;
    while (result === null && this.timers.now() < until) this.timers.runUntil(Math.min(until, this.timers.now() + 100));
    if (result === null) throw new Error(`lookup for ${key} did not end within ${settleMs} ms`);
    return result;
  }
}

/** ReDiR's successor by a plain scan: the smallest id above `key`, else the smallest id. */
export function naiveSuccessor(ids: readonly Id[], key: Id): Id | null {
  const sorted = [...ids].sort();
  return sorted.find((id) => id > key) ?? sorted[0] ?? null;
}
