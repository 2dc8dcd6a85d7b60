import type { Id } from "../../sim/runtime/ids.js";
import type { RandomStream } from "../../sim/runtime/random-stream.js";
import { InMemoryDht, type InMemoryDhtOptions } from "./in-memory-dht.js";
import { memberAt, MemberValues } from "./member-record.js";
import { MemberOracle } from "./member-oracle.js";
import { namespaceNamed, RedirClient, type RedirOptions } from "./redir-client.js";
import { RedirTally, type RedirSummary } from "./redir-tally.js";
import { VirtualTimers } from "./virtual-timers.js";

/**
 * One namespace whose members come and go, over the in-memory put/get service, with lookups for random keys judged
 * by the oracle. It stands in for the ReDiR experiment until clients and gateways exist in the engine: the DHT
 * itself does not churn here, only the namespace's members do.
 */

export interface NamespaceChurnSetup {
  /** Mean number of members: the run starts with this many, and arrivals keep it (rate members / session). */
  members: number;
  /** Members stay an exponential time of this mean, then leave without a word (their entries linger until TTL). */
  sessionMeanMs: number;
  /** TTL of registration entries; members refresh every ttl/2. */
  ttlMs: number;
  /** Lookups for random keys at exponential gaps of this mean. */
  lookupGapMeanMs: number;
  /** Lookups started before this are not judged, nor registration rounds counted (the tree is still filling). */
  warmupMs: number;
  durationMs: number;
  redir: Partial<RedirOptions>;
  dht: Partial<InMemoryDhtOptions>;
}

export function runNamespaceChurn(setup: NamespaceChurnSetup, random: RandomStream): RedirSummary {
  const timers = new VirtualTimers();
  const dht = new InMemoryDht(timers, setup.dht);
  const client = new RedirClient(dht, timers, new MemberValues(), setup.redir);
  const oracle = new MemberOracle();
  const tally = new RedirTally();
  const namespace: Id = namespaceNamed("churn");
  const sessions = random.fork("sessions");
  const arrivals = random.fork("arrivals");
  const lookups = random.fork("lookups");
  let nextAddress = 1;

  const arrive = (): void => {
    const member = memberAt(nextAddress++);
    const registration = client.register(namespace, member, setup.ttlMs, (round) => {
      oracle.registered(namespace, member, round.startedAt + setup.ttlMs);
      if (round.startedAt >= setup.warmupMs) tally.round(round);
    });
    timers.setTimer(sessions.exponential(setup.sessionMeanMs), () => {
      registration.cancel();
      oracle.departed(namespace, member);
    });
  };
  const scheduleArrival = (): void => {
    timers.setTimer(arrivals.exponential(setup.sessionMeanMs / setup.members), () => {
      arrive();
      scheduleArrival();
    });
  };
  const scheduleLookup = (): void => {
    timers.setTimer(lookups.exponential(setup.lookupGapMeanMs), () => {
      const key = lookups.bits160hex();
      client.lookup(namespace, key, (result) => {
        if (result.startedAt >= setup.warmupMs) tally.lookup(result, oracle.judge(namespace, key, result.member, timers.now()));
      });
      scheduleLookup();
    });
  };

  for (let i = 0; i < setup.members; i++) arrive();
  scheduleArrival();
  scheduleLookup();
  timers.runUntil(setup.durationMs);
  return tally.summary();
}
