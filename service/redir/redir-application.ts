import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { closeSync, openSync, writeSync } from "node:fs";
import type { ClientApplication, ClientApplicationDefinition, ClientApplicationHost } from "../../sim/runtime/client-application.js";
import { GatewayPutGet } from "./gateway-put-get.js";
import { MemberOracle } from "./member-oracle.js";
import { memberAt, MemberValues } from "./member-record.js";
import { namespaceNamed, RedirClient, type LookupResult } from "./redir-client.js";
import { RedirTally } from "./redir-tally.js";
import type { RedirClock } from "./put-get.js";

/** The scenario's `storage.redir`, resolved (ms). */
export interface RedirSetup {
  readonly members: number;
  readonly sessionMeanMs: number;
  readonly ttlMs: number;
  readonly levels: number;
  readonly branching: number;
  readonly variant: "bamboo" | "general";
  readonly startLevel: number;
  readonly lookupIntervalMs: number;
}

export const REDIR_COLUMNS = ["start_s", "end_s", "key", "member", "verdict", "gets", "level", "latency_ms"];

/** Clients lookups are sent from, in turn. */
const LOOKUP_CLIENTS = 10;

/**
 * ReDiR on OpenDHT's clients in a running DHT: one namespace whose members arrive (Poisson, keeping `members` on
 * average) and stay an exponential session, each registering through its own client and refreshing every ttl/2;
 * lookups for random keys from a pool of clients, each judged against the live registered members. Lookups started
 * in the statistics period and ended before the run's end are counted (`unfinished` those cut off by the end).
 */
export function redirApplication(spec: RedirSetup): ClientApplicationDefinition {
  return { name: "redir", create: (host) => new RedirApplication(spec, host) };
}

class RedirApplication implements ClientApplication {
  private readonly values = new MemberValues();
  private readonly oracle = new MemberOracle();
  private readonly tally = new RedirTally();
  private readonly namespace = namespaceNamed("churnsim");
  private readonly clock: RedirClock;
  private readonly lookupClients: RedirClient[] = [];
  private nextLookupClient = 0;
  private unfinished = 0;
  private membersJoined = 0;
  private readonly sessions;
  private readonly arrivals;
  private readonly lookups;
  private readonly fd: number;
  private rows: (string | number)[][] = [];

  constructor(
    private readonly spec: RedirSetup,
    private readonly host: ClientApplicationHost,
  ) {
    this.clock = { now: () => host.now(), setTimer: (ms, fire) => host.setTimer(ms, fire), cancelTimer: (h) => host.cancelTimer(h) };
    this.sessions = host.random.fork("redir-sessions");
    this.arrivals = host.random.fork("redir-arrivals");
    this.lookups = host.random.fork("redir-lookups");
    this.fd = openSync(join(host.outDir, "redir.csv"), "w");
    writeSync(this.fd, stringify([REDIR_COLUMNS]));
  }

  private client(): RedirClient {
    const { levels, branching, variant, startLevel } = this.spec;
    return new RedirClient(new GatewayPutGet(this.host.newClient()), this.clock, this.values, { levels, branching, variant, startLevel });
  }

  start(): void {
    for (let i = 0; i < LOOKUP_CLIENTS; i++) this.lookupClients.push(this.client());
    for (let i = 0; i < this.spec.members; i++) this.arrive();
    this.scheduleArrival();
    this.scheduleLookup();
  }

  private get running(): boolean {
    return this.host.now() < this.host.durationMs;
  }

  private arrive(): void {
    const redir = this.client();
    // A member's address and id come from its client's identity, unique in the run.
    const member = memberAt(this.membersJoined++);
    const registration = redir.register(this.namespace, member, this.spec.ttlMs, (round) => {
      this.oracle.registered(this.namespace, member, round.startedAt + this.spec.ttlMs);
      if (round.startedAt >= this.host.warmupMs && round.endedAt <= this.host.durationMs) this.tally.round(round);
    });
    this.host.setTimer(this.sessions.exponential(this.spec.sessionMeanMs), () => {
      registration.cancel();
      this.oracle.departed(this.namespace, member);
    });
  }

  private scheduleArrival(): void {
    this.host.setTimer(this.arrivals.exponential(this.spec.sessionMeanMs / this.spec.members), () => {
      if (!this.running) return;
      this.arrive();
      this.scheduleArrival();
    });
  }

  private scheduleLookup(): void {
    this.host.setTimer(this.lookups.exponential(this.spec.lookupIntervalMs), () => {
      if (!this.running) return;
      const key = this.lookups.bits160hex();
      const redir = this.lookupClients[this.nextLookupClient++ % LOOKUP_CLIENTS];
      redir.lookup(this.namespace, key, (result) => this.lookupEnded(result));
      this.scheduleLookup();
    });
  }

  private lookupEnded(r: LookupResult): void {
    const { warmupMs, durationMs } = this.host;
    if (r.startedAt < warmupMs) return;
    const end = r.startedAt + r.latencyMs;
    if (end > durationMs) {
      this.unfinished++;
      return;
    }
    const verdict = this.oracle.judge(this.namespace, r.key, r.member, this.host.now());
    this.tally.lookup(r, verdict);
    this.rows.push([round3(r.startedAt / 1000), round3(end / 1000), r.key, r.member?.id ?? "", verdict, r.gets, r.level, round3(r.latencyMs)]);
    if (this.rows.length >= 4096) this.flush();
  }

  summary(): Record<string, unknown> {
    const s = this.tally.summary();
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      members_mean: this.spec.members,
      members_joined: this.membersJoined,
      lookups: s.lookups,
      lookups_unfinished: this.unfinished,
      correct_fraction: finite(s.correctFraction),
      verdicts: s.verdicts,
      gets_per_lookup_mean: finite(s.getsPerLookupMean),
      gets_per_lookup_max: s.getsPerLookupMax,
      latency_mean_ms: finite(s.latencyMeanMs),
      latency_p99_ms: finite(s.latencyP99Ms),
      registration_rounds: s.rounds,
      gets_per_round_mean: finite(s.getsPerRoundMean),
      puts_per_round_mean: finite(s.putsPerRoundMean),
    };
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    writeSync(this.fd, stringify(this.rows));
    this.rows = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
