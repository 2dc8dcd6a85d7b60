import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BAMBOO_MESSAGE_CATEGORIES } from "../protocols/bamboo/messages.js";
import { CHORD_MESSAGE_CATEGORIES } from "../protocols/chord/messages.js";
import type { Counted, MessageCategories } from "../protocols/common/message-categories.js";
import { PROTOCOLS } from "../protocols/index.js";
import { KADEMLIA_MESSAGE_CATEGORIES } from "../protocols/kademlia/kademlia-node.js";
import { ONEHOP_MESSAGE_CATEGORIES } from "../protocols/onehop/onehop.js";
import { HEADER_BYTES } from "../sim/network/traffic.js";
import type { Address, NodeRuntime } from "../sim/runtime/node-runtime.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import type { StorageDefinition } from "../sim/runtime/storage-layer.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { storageLayer } from "../storage/index.js";
import { STORAGE_MESSAGE_CATEGORIES } from "../storage/messages.js";
import { scenario, tempDir } from "./helpers.js";

/** Every registered protocol's declared categories (pastry sends Bamboo's messages). */
const DECLARED: Record<string, MessageCategories> = {
  bamboo: BAMBOO_MESSAGE_CATEGORIES,
  chord: CHORD_MESSAGE_CATEGORIES,
  kademlia: KADEMLIA_MESSAGE_CATEGORIES,
  onehop: ONEHOP_MESSAGE_CATEGORIES,
  pastry: BAMBOO_MESSAGE_CATEGORIES,
};

/** Small churned runs that between them send every kind of message each protocol (and the storage layer) has. */
const RUNS: { protocol: string; options: Record<string, unknown>; loss?: number; storage?: Record<string, unknown> }[] = [
  { protocol: "bamboo", options: {} },
  { protocol: "bamboo", options: { routing: "iterative", pns: "all" } },
  { protocol: "pastry", options: {} },
  { protocol: "chord", options: { routing: "recursive" } },
  { protocol: "chord", options: { routing: "iterative", fingerPns: true } },
  // Buckets idle for a minute are refreshed within the run.
  { protocol: "kademlia", options: { refresh: "1m" } },
  // Lost pings make nodes declare live ones gone.
  { protocol: "onehop", options: {}, loss: 0.03 },
  // A storage layer on each protocol that offers key-based routing: every storage message, and the protocols' own
  // messages carrying its payloads. DHash synchronises every 30 s so that a 4-minute run repairs something.
  { protocol: "bamboo", options: {}, storage: { replication: "bamboo" } },
  { protocol: "chord", options: {}, storage: { replication: "dhash", maintenance: "30s" } },
  { protocol: "kademlia", options: {}, storage: { replication: "push" } },
];

/**
 * Declared but never sent. onehop tells every member but the node it declares gone, so no node hears that it was
 * declared gone and none sends the `hello` that would say otherwise.
 */
const NEVER_SENT = new Set([
  "onehop: hello liveness",
  // Push-on-change hands nothing off, and the other layers run on Bamboo and Chord.
  "kademlia: appFindNode handoff",
  "kademlia: app handoff",
]);

interface Sent {
  from: Address;
  to: Address;
  message: { t: string; kind?: string; nonce?: number; layer?: string };
  bytes: number;
  category: string;
}

/** A node's runtime with every send shown to `onSend` first. */
function spying<M>(rt: NodeRuntime<M>, onSend: (sent: Sent) => void): NodeRuntime<M> {
  return {
    address: rt.address,
    id: rt.id,
    random: rt.random,
    now: () => rt.now(),
    send: (to, message, bytes, category) => {
      onSend({ from: rt.address, to, message: message as Sent["message"], bytes, category });
      rt.send(to, message, bytes, category);
    },
    setTimer: (delayMs, callback, arg) => rt.setTimer(delayMs, callback, arg),
    cancelTimer: (handle) => rt.cancelTimer(handle),
    bootstrap: () => rt.bootstrap(),
    reportJoined: () => rt.reportJoined(),
    reportLookup: (handle, owner, hops) => rt.reportLookup(handle, owner, hops),
    oracleRttMs: rt.oracleRttMs === undefined ? undefined : (to) => (rt.oracleRttMs as (to: Address) => number | null)(to),
    counter: (name) => rt.counter(name),
    sample: (name) => rt.sample(name),
  };
}

/** `definition` with every node's sends shown to `onSend` first: the runtime passed on, observed. */
function observed<O, M>(definition: ProtocolDefinition<O, M>, onSend: (sent: Sent) => void): ProtocolDefinition<O, M> {
  return { ...definition, create: (rt, options) => definition.create(spying(rt, onSend), options) };
}

/** The same for a storage layer: its sends observed. */
function observedStorage(definition: StorageDefinition, onSend: (sent: Sent) => void): StorageDefinition {
  return { ...definition, create: (rt, routing, options, reports, disk, admission) => definition.create(spying(rt, onSend), routing, options, reports, disk, admission) };
}

/** The category `sent` should be counted under by `rule`, or why it cannot be told. */
function expected(rule: Counted, sent: Sent, requests: Map<string, string>): string | readonly string[] {
  if ("category" in rule) return rule.category;
  if ("oneOf" in rule) return rule.oneOf;
  if ("byKind" in rule) return rule.byKind[sent.message.kind ?? ""] ?? `no category for kind ${sent.message.kind}`;
  return requests.get(`${sent.to}>${sent.from}#${sent.message.nonce}`) ?? `no \`${rule.answers}\` answered`;
}

/** The README's cell for a rule. */
function cell(rule: Counted): string {
  if ("category" in rule) return `\`${rule.category}\``;
  if ("oneOf" in rule) return rule.when;
  if ("byKind" in rule) {
    const named = (c: string | readonly string[]) => (typeof c === "string" ? `\`${c}\`` : `its payload's (${c.map((x) => `\`${x}\``).join(", ")})`);
    return `by kind: ${Object.entries(rule.byKind).map(([kind, category]) => `\`${kind}\` → ${named(category)}`).join(", ")}`;
  }
  return `as the \`${rule.answers}\` it answers`;
}

/** The README's table for a protocol: message types counted alike share a row. */
function readmeTable(declared: MessageCategories): string {
  const rows = new Map<string, string[]>();
  for (const [type, rule] of Object.entries(declared)) rows.set(cell(rule), [...(rows.get(cell(rule)) ?? []), `\`${type}\``]);
  return ["| message | counted under |", "|---|---|", ...[...rows].map(([counted, types]) => `| ${types.join(", ")} | ${counted} |`)].join("\n");
}

/** Message types and categories seen, per declared table, over all runs. */
const seen = new Map<MessageCategories, Set<string>>();

describe("traffic categories", () => {
  it("are each defined in the README's table of categories", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("| category | the bytes of |");
    expect(start, "the README's table of bandwidth categories").toBeGreaterThanOrEqual(0);
    const table = readme.slice(start, readme.indexOf("\n\n", start));
    const defined = new Set([...table.matchAll(/^\s*\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z]+)`/g)].map((c) => c[1])));
    const categories = (rule: Counted): string[] => {
      if ("category" in rule) return [rule.category];
      if ("oneOf" in rule) return [...rule.oneOf];
      if ("byKind" in rule) return Object.values(rule.byKind).flatMap((c) => (typeof c === "string" ? [c] : [...c]));
      return [];
    };
    const declared = new Set([...Object.values(DECLARED), STORAGE_MESSAGE_CATEGORIES].flatMap((table) => Object.values(table).flatMap(categories)));
    expect([...declared].sort()).toEqual([...defined].sort());
  });

  it("are declared for every registered protocol, and the README's table for each says the same", () => {
    // A new protocol declares its MessageCategories beside its messages, and is added to DECLARED here.
    expect(Object.keys(DECLARED).sort()).toEqual(Object.keys(PROTOCOLS).sort());
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const tabled = new Set<MessageCategories>();
    for (const name of Object.keys(PROTOCOLS)) {
      const declared = DECLARED[name];
      // A table shared with a protocol before it is printed once, under that one.
      if (tabled.has(declared)) continue;
      tabled.add(declared);
      const start = readme.indexOf(`### \`${name}\``);
      expect(start, `README section for ${name}`).toBeGreaterThanOrEqual(0);
      const end = readme.slice(start + 4).search(/\n##/);
      const section = readme.slice(start, end < 0 ? undefined : start + 4 + end);
      expect(section, `the README's table for ${name}`).toContain(readmeTable(declared));
      for (const rule of Object.values(declared)) {
        if ("oneOf" in rule) for (const category of rule.oneOf) expect(rule.when).toContain(`\`${category}\``);
      }
    }
    // The storage layer's table sits in its own section.
    const start = readme.indexOf("### Storage messages");
    expect(start, "README section for the storage layer's messages").toBeGreaterThanOrEqual(0);
    expect(readme.slice(start), "the README's table for the storage layer").toContain(readmeTable(STORAGE_MESSAGE_CATEGORIES));
  });

  it.each(RUNS)("of every message $protocol $options (storage $storage) sends are as declared, and bytes by category add up to the total", ({ protocol, options, loss, storage }) => {
    const seenIn = (table: MessageCategories) => {
      const types = seen.get(table) ?? new Set<string>();
      seen.set(table, types);
      return types;
    };
    const answered = new Set(
      [DECLARED[protocol], STORAGE_MESSAGE_CATEGORIES].flatMap((table) => Object.values(table).flatMap((rule) => ("answers" in rule ? [rule.answers] : []))),
    );
    const requests = new Map<string, string>();
    const wrong = new Map<string, number>();
    const bytes = new Map<string, number>();
    let sim: Simulation | null = null;
    const onSend = (sent: Sent) => {
      const { t, kind, nonce, layer } = sent.message;
      // The storage layer's own messages say so; everything else is the protocol's.
      const declared: MessageCategories = layer === "storage" ? STORAGE_MESSAGE_CATEGORIES : DECLARED[protocol];
      const types = seenIn(declared);
      if (answered.has(t)) requests.set(`${sent.from}>${sent.to}#${nonce}`, sent.category);
      const rule = declared[t];
      const want = rule === undefined ? "an undeclared message type" : expected(rule, sent, requests);
      const label = `${t}${kind === undefined ? "" : ` (${kind})`}`;
      types.add(`${label} ${sent.category}`);
      if (typeof want === "string" ? want !== sent.category : !want.includes(sent.category)) {
        const key = `${label} counted as ${sent.category}, declared ${want}`;
        wrong.set(key, (wrong.get(key) ?? 0) + 1);
      }
      if (sim?.traffic.collecting) bytes.set(sent.category, (bytes.get(sent.category) ?? 0) + sent.bytes + HEADER_BYTES);
    };
    const definition = observed(PROTOCOLS[protocol], onSend);
    const s = scenario({
      name: "categories",
      nodes: 80,
      duration: "4m",
      warmup: "1m",
      joinPhase: "1m",
      network: { loss: loss ?? 0 },
      churn: { process: "replacement", preset: "kazaa" },
      workload: { lookupInterval: "10s" },
      protocol: { name: protocol, ...options },
      ...(storage === undefined ? {} : { storage: { ...storage, workload: { putInterval: "20s", getInterval: "20s" } } }),
    });
    const layer = storageLayer(s.storage?.replication);
    sim = new Simulation(s, definition, tempDir(), { check: true, storage: layer === undefined ? undefined : observedStorage(layer, onSend) });
    const summary = sim.run();
    expect([...wrong].map(([what, n]) => `${what}: ${n} messages`)).toEqual([]);
    // What was seen sent is what the traffic counted, category by category, after the warm-up.
    const traffic = sim.traffic;
    expect(Object.fromEntries(traffic.categories.map((c, i) => [c, traffic.statsSent[i]]))).toEqual(Object.fromEntries(traffic.categories.map((c) => [c, bytes.get(c) ?? 0])));
    const byCategory = Object.values(summary.bytes_per_node_s_by_category).reduce((sum, c) => sum + c.sent, 0);
    expect(summary.total_bytes_per_node_s).toBeGreaterThan(0);
    expect(byCategory).toBeCloseTo(summary.total_bytes_per_node_s as number, 6);
  });

  it("are each seen in the runs above, so that no declaration goes untested", () => {
    for (const [name, declared] of [...Object.entries(DECLARED), ["storage", STORAGE_MESSAGE_CATEGORIES] as const]) {
      const types = [...(seen.get(declared) ?? [])];
      for (const [type, rule] of Object.entries(declared)) {
        const byKind = (kind: string, c: string | readonly string[]) => (typeof c === "string" ? [c] : c).map((x) => `${type} (${kind}) ${x}`);
        const wanted = "byKind" in rule ? Object.entries(rule.byKind).flatMap(([kind, c]) => byKind(kind, c)) : "oneOf" in rule ? rule.oneOf.map((c) => `${type} ${c}`) : [type];
        for (const w of wanted) expect(types.some((t) => t === w || t.startsWith(`${w} `)), `${name}: ${w}`).toBe(!NEVER_SENT.has(`${name}: ${w}`));
      }
    }
  });
});
