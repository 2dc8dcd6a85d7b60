import { describe, expect, it } from "vitest";
import { run, scenario } from "./helpers.js";

/** ReDiR on the clients of a running Bamboo DHT: 100 members of one namespace, 4 levels. */
function redir(over: { nodes?: number; churn?: Record<string, unknown>; redir?: Record<string, unknown> } = {}) {
  return {
    name: "redir",
    nodes: over.nodes ?? 30,
    duration: "8m",
    warmup: "4m",
    joinPhase: "1m",
    churn: over.churn ?? { process: "none" },
    workload: { lookupInterval: "60s" },
    protocol: { name: "bamboo" },
    storage: {
      replication: "bamboo",
      redir: { members: 100, session: "1h", ttl: "1m", levels: 4, lookupInterval: "2s", ...over.redir },
      workload: { putInterval: "1000h", getInterval: "1000h" },
    },
  };
}

type Redir = { lookups: number; correct_fraction: number; gets_per_lookup_mean: number; verdicts: Record<string, number>; registration_rounds: number; puts_per_round_mean: number; gets_per_round_mean: number };
const redirOf = (summary: { storage?: Record<string, unknown> }) => summary.storage?.redir as Redir;

describe("ReDiR on OpenDHT's clients in a running DHT", () => {
  it("finds the member that succeeds a key, judged against the live registered members", () => {
    const r = run(redir());
    const s = redirOf(r.summary);
    expect(s.lookups).toBeGreaterThan(80);
    // Members stay an hour and entries live a minute: few answers can be stale.
    expect(s.correct_fraction).toBeGreaterThan(0.95);
    // 100 members over 4 levels of a binary tree: about one get per lookup, a get and a put per round.
    expect(s.gets_per_lookup_mean).toBeLessThan(2);
    expect(s.registration_rounds).toBeGreaterThan(100);
    expect(s.puts_per_round_mean).toBeGreaterThanOrEqual(1);
    const rows = r.read("redir.csv").trim().split("\n");
    expect(rows[0]).toBe("start_s,end_s,key,member,verdict,gets,level,latency_ms");
    expect(rows.length - 1).toBe(s.lookups);
  });

  it("gives stale answers when members leave faster than their entries expire: the verdict follows the TTL", () => {
    const fresh = redirOf(run(redir({ redir: { session: "2m", ttl: "20s" } })).summary);
    const stale = redirOf(run(redir({ redir: { session: "2m", ttl: "5m" } })).summary);
    expect(stale.verdicts.staleMember).toBeGreaterThan(fresh.verdicts.staleMember);
    expect(stale.correct_fraction).toBeLessThan(fresh.correct_fraction - 0.2);
  });

  it("keeps working under Kazaa churn of the DHT itself, gateways departing", () => {
    const s = redirOf(run(redir({ nodes: 40, churn: { process: "replacement", preset: "kazaa" } })).summary);
    expect(s.lookups).toBeGreaterThan(80);
    expect(s.correct_fraction).toBeGreaterThan(0.85);
  });

  it("writes byte-identical redir.csv for the same scenario and seed", () => {
    const doc = { ...redir(), duration: "6m" };
    expect(run(doc).read("redir.csv")).toBe(run(doc).read("redir.csv"));
  });

  it.each([
    [{ ttl: "2h" }, "/storage/redir/ttl: expected at most storage.maxTtl (1h)"],
    [{ levels: 0 }, "/storage/redir/levels: expected at least 1"],
    [{ branching: 1 }, "/storage/redir/branching: expected at least 2"],
    [{ session: "0s" }, "/storage/redir/session: expected a duration greater than zero"],
    [{ variant: "chord" }, '/storage/redir/variant: expected one of "bamboo", "general"'],
    [{ namespace: "x" }, "/storage/redir/namespace: unknown key"],
  ])("rejects %j naming the field and what was expected", (bad, message) => {
    const doc = redir({ redir: bad });
    (doc.storage as Record<string, unknown>).maxTtl = "1h";
    expect(() => scenario(doc)).toThrow(`test-scenario.json: ${message}`);
  });
});
