import fc from "fast-check";

/**
 * A small scenario that combines the features a user can combine: churn process × session distribution ×
 * downtime or not × faults × protocol × timeouts × recovery × routing × access links × storage layer. `trace` is the churn
 * trace's text when the churn process replays one (written beside the scenario before it runs).
 */
export interface Combination {
  scenario: Record<string, unknown>;
  trace: string | null;
}

const seconds = (min: number, max: number) => fc.integer({ min, max }).map((s) => `${s}s`);
const fraction = (min: number, max: number) => fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) }).map((p) => p / 100);

const median = seconds(30, 1200);
const distribution = fc.oneof(
  fc.record({ distribution: fc.constant("exponential"), median }),
  fc.record({ distribution: fc.constant("weibull"), k: fraction(0.3, 2), median }),
  fc.record({ distribution: fc.constant("pareto"), alpha: fraction(1.1, 3), median }),
  fc.record({ distribution: fc.constant("lognormal"), sigma: fraction(0.3, 2), median }),
);

const churn = fc.oneof(
  fc.constant({ process: "none" }),
  fc.record({ process: fc.constant("replacement"), tMed: seconds(30, 1200) }),
  fc.record({ process: fc.constant("lifetime"), sessions: distribution }),
  fc.record({ process: fc.constant("lifetime"), sessions: distribution, downtime: distribution }),
  fc.record({ process: fc.constant("trace"), traceSeed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) }),
);

const timeouts = fc.constantFrom("fixed", "tcp", "vivaldi", "oracle");
const routing = fc.constantFrom("recursive", "iterative");
const protocol = fc.oneof(
  fc.record({ name: fc.constantFrom("bamboo", "pastry"), timeouts, recovery: fc.constantFrom("periodic", "reactive"), routing }),
  fc.record({ name: fc.constant("chord"), timeouts, routing }),
  fc.record({ name: fc.constant("kademlia"), timeouts }),
  fc.record({ name: fc.constant("onehop") }),
);

/**
 * A storage layer the protocol can carry, or none: DHash on Chord only, none on onehop. TTLs of minutes, so values
 * expire within the run.
 */
function storage(protocolName: string) {
  if (protocolName === "onehop") return fc.constant(null);
  const replication = protocolName === "chord" ? fc.constantFrom("bamboo", "dhash", "push") : fc.constantFrom("bamboo", "push");
  const layer = replication.chain((name) =>
    fc.record({
      replication: fc.constant(name),
      replicas: fc.integer({ min: 2, max: 8 }),
      maintenance: seconds(1, 60),
      ...(name === "dhash" ? { carbonite: fc.boolean() } : {}),
      // OpenDHT's service layer: admission at Bamboo's roots, clients through gateways.
      ...(name === "bamboo" ? { admission: fc.option(admission, { nil: undefined }) } : {}),
      getMode: fc.option(fc.constantFrom("quorumSync", "quorum", "rootOnly", "successors"), { nil: undefined }),
      clients: fc.option(clients, { nil: undefined }),
      redir: fc.option(redir, { nil: undefined }),
      workload: fc.record({
        putInterval: seconds(5, 60),
        getInterval: seconds(5, 60),
        removeFraction: fraction(0, 0.3),
        ttl: seconds(30, 600).chain((min) => seconds(Number.parseInt(min, 10), 900).map((max) => ({ min, max }))),
        valueSize: fc.constantFrom("100B", "1KB"),
        timeout: seconds(10, 60),
      }),
    }),
  );
  return fc.option(layer);
}

const admission = fc.constantFrom("none", "openDht", "fairSpaceTime", "noQueuing", "random", "fairRate", "fairStorage", "fairCommitment").map((algorithm) => ({ algorithm }));

const clients = fc.record({
  gateway: fc.constantFrom("nearest", "random"),
  gatewayTimeout: seconds(2, 40),
  attempts: fc.integer({ min: 1, max: 4 }),
  groups: fc.array(
    fc.record({ count: fc.integer({ min: 1, max: 5 }), putInterval: seconds(1, 30), getInterval: seconds(2, 30), ttl: seconds(30, 600) }),
    { minLength: 1, maxLength: 2 },
  ).map((groups) => groups.map((g, i) => ({ name: `g${i}`, ...g }))),
});

const redir = fc.record({
  members: fc.integer({ min: 1, max: 30 }),
  session: seconds(20, 600),
  ttl: seconds(10, 300),
  levels: fc.integer({ min: 1, max: 6 }),
  branching: fc.integer({ min: 2, max: 4 }),
  variant: fc.constantFrom("bamboo", "general"),
  lookupInterval: seconds(1, 20),
});

/** Faults within a run of `durationS` seconds, after the join phase. */
function faults(durationS: number) {
  const at = fc.integer({ min: 40, max: durationS - 20 });
  const window = at.chain((start) => fc.integer({ min: start + 1, max: durationS }).map((end) => ({ at: `${start}s`, until: `${end}s` })));
  return fc
    .record({
      partition: fc.option(fc.tuple(window, fraction(0.1, 0.9)).map(([w, f]) => ({ type: "partition", ...w, fraction: f }))),
      massFailure: fc.option(
        fc
          .record({ at, fraction: fraction(0.1, 0.9), replaceAfter: fc.option(seconds(1, 60), { nil: undefined }) })
          .map((f) => ({ type: "mass-failure", ...f, at: `${f.at}s`, ...(f.replaceAfter === undefined ? {} : { replaceAfter: f.replaceAfter }) })),
      ),
      loss: fc.option(fc.tuple(window, fraction(0.05, 0.6)).map(([w, rate]) => ({ type: "loss", ...w, rate }))),
      slowdown: fc.option(fc.tuple(window, fraction(0.1, 1), fc.constantFrom("16kbps", "64kbps", "256kbps")).map(([w, f, uplink]) => ({ type: "slowdown", ...w, fraction: f, uplink }))),
    })
    .map((f) => Object.values(f).filter((x) => x !== null));
}

const network = fc.oneof(
  fc.constant({}),
  fc.record({ uplink: fc.constantFrom("256kbps", "1Mbps"), downlink: fc.constantFrom("unlimited", "1Mbps"), queue: fc.constantFrom("4KB", "64KB"), loss: fraction(0, 0.05) }),
  fc.record({ uplink: fc.constantFrom("unlimited", "256kbps"), processing: fc.constantFrom("1ms", "20ms", "60ms") }),
);

/** 30–80 nodes for 3–5 simulated minutes: small enough for a minute of CI to try a few dozen. */
export const combinationArbitrary: fc.Arbitrary<Combination> = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    nodes: fc.integer({ min: 30, max: 80 }),
    durationS: fc.integer({ min: 180, max: 300 }),
    churn: churn as fc.Arbitrary<Record<string, unknown>>,
    protocol,
    network,
  })
  .chain((c) => faults(c.durationS).map((f) => ({ ...c, faults: f })))
  .chain((c) => storage(c.protocol.name).map((layer) => ({ ...c, storage: layer })))
  .map(({ seed, nodes, durationS, churn: { traceSeed, ...churnSpec }, protocol, network, faults, storage: layer }) => ({
    scenario: {
      name: "combination",
      seed,
      nodes,
      duration: `${durationS}s`,
      warmup: "60s",
      joinPhase: "30s",
      network,
      churn: traceSeed === undefined ? churnSpec : { ...churnSpec, file: "trace.csv" },
      faults,
      workload: { lookupInterval: "5s", lookupTimeout: "30s", probeInterval: "20s", probeSize: 3 },
      protocol,
      metrics: { window: "30s" },
      ...(layer === null ? {} : { storage: layer }),
    },
    trace: traceSeed === undefined ? null : churnTrace(traceSeed as number, nodes, durationS),
  }));

/**
 * A churn trace of `nodes` hosts over `durationS` seconds: most join in the first 30 s, the rest later, and each
 * alternates sessions and downtimes of up to two minutes. Drawn from an inline generator of its own seed.
 */
function churnTrace(seed: number, nodes: number, durationS: number): string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const events: [number, string, string][] = [];
  for (let i = 0; i < nodes; i++) {
    let t = next() < 0.8 ? next() * 30 : 30 + next() * durationS;
    for (let up = true; t < durationS; up = !up, t += 1 + next() * 120) events.push([t, `n${i}`, up ? "join" : "leave"]);
  }
  events.sort((a, b) => a[0] - b[0]);
  return `time,node,event\n${events.map(([t, n, e]) => `${t.toFixed(3)},${n},${e}`).join("\n")}\n`;
}
