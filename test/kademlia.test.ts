import { describe, expect, it } from "vitest";
import { SeededRandom } from "../sim/engine/seeded-random.js";
import type { Address, Contact, NodeRuntime } from "../sim/runtime/index.js";
import { KademliaNode, type KademliaMessage } from "../protocols/kademlia/kademlia-node.js";
import { kademliaOptionsSchema, parseKademliaOptions } from "../protocols/kademlia/options.js";
import { parseDuration } from "../sim/scenario/units.js";
import { run } from "./helpers.js";

const id = (hexPrefix: string) => hexPrefix.padEnd(40, "0");

/** A runtime whose clock the test moves: it records what the node sends and fires due timers. */
function fakeRuntime(self: Contact) {
  const sent: { to: Address; m: KademliaMessage }[] = [];
  const timers = new Map<number, { at: number; fire: () => void }>();
  const reports: { owner: string | null }[] = [];
  let now = 0;
  let next = 1;
  const rt: NodeRuntime<KademliaMessage> = {
    address: self.address,
    id: self.id,
    random: SeededRandom.root(1),
    now: () => now,
    send: (to, m) => void sent.push({ to, m }),
    setTimer: (ms, fn, arg) => {
      const handle = next++;
      timers.set(handle, { at: now + ms, fire: () => fn(arg as never) });
      return handle;
    },
    cancelTimer: (h) => void timers.delete(h),
    bootstrap: () => null,
    reportJoined: () => {},
    reportLookup: (_h, owner) => void reports.push({ owner }),
    counter: () => ({ add: () => {} }),
    sample: () => ({ record: () => {} }),
  };
  /** Moves the clock to `t`, firing every timer due by then in time order. */
  const advance = (t: number) => {
    for (;;) {
      let due: [number, { at: number; fire: () => void }] | undefined;
      for (const e of timers) if (e[1].at <= t && (due === undefined || e[1].at < due[1].at)) due = e;
      if (due === undefined) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fire();
    }
    now = t;
  };
  return { rt, sent, reports, advance };
}

/** Options from the schema's defaults with `overrides` (durations as the scenario writes them). */
function options(overrides: Record<string, unknown> = {}) {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...Object.fromEntries(Object.entries(kademliaOptionsSchema.properties).map(([k, v]) => [k, v.default])), ...overrides })) {
    const format = (kademliaOptionsSchema.properties as Record<string, { format?: string }>)[k]?.format;
    o[k] = format === "duration" ? parseDuration(v as string) : v;
  }
  return parseKademliaOptions(o);
}

/** A node that made the network (no gateway), then heard from `contacts` by their requests. */
function nodeKnowing(contacts: Contact[], overrides: Record<string, unknown> = {}) {
  const self = { address: 0, id: id("00") };
  const fake = fakeRuntime(self);
  const node = new KademliaNode(fake.rt, options(overrides));
  node.join(null);
  for (const c of contacts) node.receive(c.address, { t: "ping", nonce: 0, sender: c });
  fake.sent.length = 0;
  return { node, ...fake };
}

const findNodes = (sent: { to: Address; m: KademliaMessage }[]) => sent.filter((s) => s.m.t === "findNode");

/** The asked node answers `request` naming `contacts`. */
function answer(node: KademliaNode, request: { to: Address; m: KademliaMessage }, contacts: Contact[]): void {
  const sender = { address: request.to, id: id(`f${request.to}`) };
  node.receive(request.to, { t: "nodes", nonce: (request.m as { nonce: number }).nonce, contacts, sender, coordinate: null });
}

describe("Kademlia lookups", () => {
  const contacts = [1, 2, 3, 4, 5, 6].map((a) => ({ address: a, id: id(`f${a}`) }));

  it("stop once the k closest seen have answered, without waiting for requests out to farther nodes", () => {
    const { node, sent, reports, advance } = nodeKnowing(contacts, { k: 2, alpha: 3 });
    node.lookup(id("f1"), 7);
    // α requests go to the two closest (f1, f2) and no further: only the shortlist's members are asked.
    const asked = findNodes(sent).map((s) => s.to);
    expect(asked).toEqual([1, 2]);
    // f1 names a closer node that has not been heard of (f10): it joins the shortlist and is asked.
    const [a, b] = findNodes(sent);
    const closer = { address: 9, id: id("f10") };
    node.receive(1, { t: "nodes", nonce: (a.m as { nonce: number }).nonce, contacts: [closer], sender: contacts[0], coordinate: null });
    expect(findNodes(sent).map((s) => s.to)).toEqual([1, 2, 9]);
    const c = findNodes(sent)[2];
    node.receive(9, { t: "nodes", nonce: (c.m as { nonce: number }).nonce, contacts: [], sender: closer, coordinate: null });
    // The two closest seen (f1, f10) have answered: the lookup ends though f2 has not.
    expect(reports).toEqual([{ owner: id("f1") }]);
    node.receive(2, { t: "nodes", nonce: (b.m as { nonce: number }).nonce, contacts: [], sender: contacts[1], coordinate: null });
    expect(reports).toHaveLength(1);
    advance(60_000);
    expect(reports).toHaveLength(1);
  });

  it("drop a contact that times out from the shortlist and the buckets, and leave it out of later lookups", () => {
    // k = 2: the buckets hold f1 and f2. α = 1: one request at a time, closest first.
    const { node, sent, reports, advance } = nodeKnowing(contacts, { k: 2, alpha: 1 });
    node.lookup(id("f1"), 7);
    // f1 is silent: after its timeout (5 s, no samples yet) f2 is asked in its place, and names f3 and f1.
    advance(5_000);
    expect(findNodes(sent).map((s) => s.to)).toEqual([1, 2]);
    expect(node.neighbours().map((p) => p.address)).not.toContain(1);
    answer(node, findNodes(sent)[1], [contacts[2], contacts[0]]);
    answer(node, findNodes(sent)[2], []);
    expect(findNodes(sent).map((s) => s.to)).toEqual([1, 2, 3]);
    expect(reports).toEqual([{ owner: id("f3") }]);
    // A later lookup hears of f1 again, but it timed out on us lately: it is not asked.
    sent.length = 0;
    node.lookup(id("f1"), 8);
    answer(node, findNodes(sent)[0], [contacts[0]]);
    answer(node, findNodes(sent)[1], [contacts[0]]);
    expect(findNodes(sent).map((s) => s.to)).toEqual([3, 2]);
    expect(reports).toEqual([{ owner: id("f3") }, { owner: id("f3") }]);
  });

  it("move on from a contact never sampled after an RTO seeded from the samples of others, dropping it only at the maximum", () => {
    // k = 2: the buckets hold f1 and f2. A lookup of f2 asks f2 first (α = 1), then f1.
    const seeded = nodeKnowing(contacts, { k: 2, alpha: 1 });
    const max = nodeKnowing(contacts, { k: 2, alpha: 1, unsampledTimeout: "max" });
    for (const n of [seeded, max]) {
      n.node.lookup(id("f2"), 1);
      // f2 answers after 100 ms: the node's first sample. f1, never sampled, is asked then and stays silent.
      n.advance(100);
      answer(n.node, findNodes(n.sent)[0], []);
      expect(findNodes(n.sent).map((s) => s.to)).toEqual([2, 1]);
      // SRTT 100, MDEV 50 → RTO 100 + 4·50 + 10 = 310 ms.
      n.advance(100 + 310);
    }
    expect(seeded.reports).toEqual([{ owner: id("f2") }]);
    expect(max.reports).toEqual([]);
    // The lookup moved on, but f1 is not yet taken for dead: its request stays open for the 5 s maximum.
    expect(seeded.node.neighbours().map((p) => p.address)).toContain(1);
    for (const n of [seeded, max]) n.advance(100 + 5_000);
    expect(max.reports).toEqual([{ owner: id("f2") }]);
    expect(seeded.node.neighbours().map((p) => p.address)).not.toContain(1);
  });

  it("ping contacts not heard from for the liveness-check period and drop the silent", () => {
    const { node, sent, advance } = nodeKnowing(contacts, { livenessCheck: "10s" });
    advance(20_000);
    const pings = sent.filter((s) => s.m.t === "ping");
    expect(pings.map((s) => s.to).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const s of pings) if (s.to !== 4 && s.m.t === "ping") node.receive(s.to, { t: "pong", nonce: s.m.nonce, sender: contacts[s.to - 1], coordinate: null });
    // f4's ping times out (5 s: no samples yet); the others, heard from at 20 s, are not due again before 30 s.
    advance(25_001);
    expect(node.neighbours().map((p) => p.address).sort()).toEqual([1, 2, 3, 5, 6]);
  });
});

describe("Kademlia in whole runs", () => {
  it("in a static 1000-node network finds the XOR-closest node for at least 99.9% of keys, in a few hops", () => {
    const { summary } = run({
      name: "kademlia-static",
      nodes: 1000,
      joinPhase: "2m",
      duration: "7m",
      warmup: "5m",
      workload: { lookupInterval: "30s", probeSize: 0 },
      protocol: { name: "kademlia" },
    });
    console.log(
      `kademlia static 1000: ${summary.lookups} lookups, consistent ${summary.consistent_fraction}, hops ${summary.hops_mean?.toFixed(2)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, total ${summary.total_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(3000);
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.999);
    // With k = 20 contacts per bucket the closest node is reached in a couple of hops.
    expect(summary.hops_mean).toBeGreaterThan(1);
    expect(summary.hops_mean).toBeLessThan(log2(1000) / 2);
  });

  it("under Kazaa churn, with the preset's α and liveness checks, finds the true owner for at least 98% of lookups in under 1.5 s", () => {
    const { summary } = run({
      name: "kademlia-kazaa",
      nodes: 150,
      joinPhase: "1m",
      duration: "8m",
      warmup: "4m",
      workload: { lookupInterval: "20s" },
      churn: { process: "replacement", preset: "kazaa" },
      protocol: { name: "kademlia", alpha: 10, livenessCheck: "10s" },
    });
    console.log(
      `kademlia under Kazaa churn, 150 nodes: consistent ${summary.consistent_fraction?.toFixed(3)}, failed ${summary.failed_fraction?.toFixed(4)}, latency mean ${summary.latency_ms.mean?.toFixed(0)} ms, maintenance ${summary.maintenance_bytes_per_node_s?.toFixed(0)} B/s/node`,
    );
    expect(summary.lookups).toBeGreaterThan(1000);
    // Before lookups moved on from silent contacts and dead ones were dropped: about 80% at 20 s mean latency.
    expect(summary.consistent_fraction).toBeGreaterThanOrEqual(0.98);
    expect(summary.latency_ms.mean).toBeLessThan(1500);
  });
});

function log2(x: number): number {
  return Math.log(x) / Math.LN2;
}
