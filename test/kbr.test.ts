import { beforeAll, describe, expect, it } from "vitest";
import { PROTOCOLS } from "../protocols/index.js";
import { usFromMs } from "../sim/engine/sim-time.js";
import { type Id, idOfAddress, idToBigInt } from "../sim/runtime/ids.js";
import type { KeyBasedRouting } from "../sim/runtime/key-based-routing.js";
import type { Address } from "../sim/runtime/node-runtime.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { scenario, tempDir } from "./helpers.js";

const RING = 1n << 160n;
const KEYS = 40;
const REPLICAS = 4;

interface Delivery {
  at: Address;
  n: number;
  key: Id;
  origin: Address;
  hops: number;
}

/** The live nodes' identifiers ordered as the protocol's rule ranks them for `key`: the root first. */
function ranked(key: Id, ids: Id[], rule: "successor" | "xor"): Id[] {
  const k = idToBigInt(key);
  const distance = (id: Id) => (rule === "xor" ? idToBigInt(id) ^ k : (idToBigInt(id) - k + RING) % RING);
  return [...ids].sort((a, b) => {
    const da = distance(a);
    const db = distance(b);
    return da < db ? -1 : da > db ? 1 : 0;
  });
}

/**
 * A static network of 40 nodes run for 3 minutes, then: payloads routed from several nodes to random keys
 * (delivered by 3m30s), replica sets read at each true root, and one node's neighbour killed (at 3m40s) and
 * the node's neighboursChanged upcalls counted until the end (5m).
 */
function kbrRun(protocol: "chord" | "kademlia", options: Record<string, unknown>) {
  const s = scenario({
    name: `kbr-${protocol}`,
    nodes: 40,
    joinPhase: "1m",
    duration: "5m",
    warmup: "2m",
    workload: { lookupInterval: "30s" },
    protocol: { name: protocol, ...options },
  });
  const sim = new Simulation(s, PROTOCOLS[protocol], tempDir(), { check: true });
  const rule = PROTOCOLS[protocol].ownership as "successor" | "xor";
  const routing = (a: Address) => sim.node(a).protocol?.routing as KeyBasedRouting;
  const deliveries: Delivery[] = [];
  const changes = new Map<Address, number>();
  const sent: { n: number; key: Id; from: Address }[] = [];
  const byId = new Map<Id, Address>();
  let live: Address[] = [];
  const replicaChecks: { got: Id[]; want: Id[] }[] = [];
  let watched = -1;
  let victim = -1;
  let changesBeforeKill = 0;
  let neighboursAfter: Address[] = [];

  sim.scheduler.schedule(usFromMs(180_000), () => {
    live = Array.from({ length: sim.alive.size }, (_, i) => sim.alive.at(i));
    for (const a of live) {
      byId.set(sim.node(a).id, a);
      routing(a).setUpcalls({
        deliver: (key, payload, origin, hops) => deliveries.push({ at: a, n: (payload as { n: number }).n, key, origin: origin.address, hops }),
        neighboursChanged: () => changes.set(a, (changes.get(a) ?? 0) + 1),
      });
    }
    for (let n = 0; n < KEYS; n++) {
      const key = idOfAddress(`key ${n}`);
      const from = live[(n * 7) % live.length];
      sent.push({ n, key, from });
      routing(from).route(key, { n }, 100, "put");
    }
  });

  sim.scheduler.schedule(usFromMs(210_000), () => {
    const ids = live.map((a) => sim.node(a).id);
    for (const { key } of sent) {
      const want = ranked(key, ids, rule).slice(0, REPLICAS);
      const root = routing(byId.get(want[0]) as Address);
      replicaChecks.push({ got: root.replicaSet(key, REPLICAS).map((c) => c.id), want });
    }
    // Kill one of a node's neighbours, and watch that node.
    watched = live[0];
    victim = routing(watched).neighbours()[0].address;
    changesBeforeKill = changes.get(watched) ?? 0;
    sim.kill(victim, false);
    // Kademlia hears of a departure only when a request to the departed times out: route towards it.
    if (rule === "xor") routing(watched).route(sim.node(victim).id, { n: -1 }, 10, "put");
  });

  sim.scheduler.schedule(usFromMs(270_000), () => {
    neighboursAfter = routing(watched).neighbours().map((c) => c.address);
  });

  sim.run();
  const put = sim.traffic.categories.indexOf("put");
  return {
    rule,
    live,
    byId,
    sent,
    deliveries: deliveries.filter((d) => d.n >= 0),
    replicaChecks,
    changesAfterKill: (changes.get(watched) ?? 0) - changesBeforeKill,
    victim,
    neighboursAfter,
    putBytes: put < 0 ? 0 : sim.traffic.statsSent[put],
  };
}

describe.each([
  ["chord", { routing: "recursive" }],
  ["chord", { routing: "iterative" }],
  ["kademlia", {}],
] as const)("key-based routing over %s %o", (protocol, options) => {
  let r: ReturnType<typeof kbrRun>;
  beforeAll(() => {
    r = kbrRun(protocol, options);
  });

  it("delivers each payload once, at the key's true root", () => {
    expect(r.live.length).toBe(40);
    const ids = r.live.map((a) => sortedId(a, r.byId));
    for (const { n, key, from } of r.sent) {
      const at = r.deliveries.filter((d) => d.n === n);
      expect(at.length, `payload ${n}`).toBe(1);
      const root = ranked(key, ids, r.rule)[0];
      expect(at[0].at, `payload ${n}`).toBe(r.byId.get(root));
      expect(at[0].origin).toBe(from);
      expect(at[0].key).toBe(key);
      if (at[0].at !== from) expect(at[0].hops).toBeGreaterThan(0);
    }
    // Routed payloads are counted under the caller's category.
    expect(r.putBytes).toBeGreaterThan(0);
  });

  it("names at the root the true replica set, the root first", () => {
    expect(r.replicaChecks.length).toBe(KEYS);
    for (const { got, want } of r.replicaChecks) expect(got).toEqual(want);
  });

  it("tells a node when a neighbour departs, and drops it from its neighbours", () => {
    expect(r.changesAfterKill).toBeGreaterThan(0);
    expect(r.neighboursAfter).not.toContain(r.victim);
    expect(r.neighboursAfter.length).toBeGreaterThan(0);
  });
});

/** The identifier of a live node, from the map made of them. */
function sortedId(a: Address, byId: Map<Id, Address>): Id {
  for (const [id, address] of byId) if (address === a) return id;
  throw new Error(`no identifier for ${a}`);
}
