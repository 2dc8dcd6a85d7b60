import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../../protocols/index.js";
import { parseScenario } from "./load-scenario.js";
import { checkProtocolOptions } from "./protocol-options.js";
import type { ProtocolOptionsCheck } from "./scenario.js";

// The routing protocols that will offer key-based routing, as they are declared; the real registry decides
// for any protocol not listed, so the check itself is the one scenarios get.
const ROUTING = new Set(["bamboo", "pastry", "chord", "kademlia"]);
const check: ProtocolOptionsCheck = (name, options) => {
  const definition = checkProtocolOptions(PROTOCOLS, name, options);
  return ROUTING.has(name) ? { ...definition, keyBasedRouting: true } : definition;
};
const parse = (doc: Record<string, unknown>, c: ProtocolOptionsCheck = check) => parseScenario(doc, "test.json", {}, c);
const bamboo = { name: "t", protocol: { name: "bamboo" } };
const withStorage = (storage: Record<string, unknown>, protocol = "bamboo") => ({ name: "t", protocol: { name: protocol }, storage });

describe("the scenario's storage section", () => {
  it("is null when absent, and leaves the written document without it", () => {
    const s = parse(bamboo);
    expect(s.storage).toBeNull();
    expect("storage" in s.document).toBe(false);
    expect(Object.keys(s.document)).toEqual(Object.keys(parse(bamboo).document));
  });

  it("fills Bamboo's defaults and writes them out, in a fixed order", () => {
    const s = parse(withStorage({ replication: "bamboo" }));
    expect(s.storage).toEqual({
      replication: "bamboo",
      replicas: 8,
      requiredAcks: 2,
      maintenanceMs: 1000,
      handoffMs: 5000,
      carbonite: false,
      retryMs: 30_000,
      getMode: "quorumSync",
      maxTtlMs: 7 * 86_400_000,
      maxValueBytes: 1024,
      workload: {
        putIntervalMs: 100_000,
        getIntervalMs: 100_000,
        removeFraction: 0.05,
        valuesPerKey: 3,
        ttlMs: { min: 3_600_000, max: 3_600_000 },
        valueBytes: { min: 1024, max: 1024 },
        recentGetFraction: 0.5,
        recentMs: 600_000,
        timeoutMs: 60_000,
      },
      admission: null,
      clients: null,
      redir: null,
    });
    expect(s.document.storage).toEqual({
      replication: "bamboo",
      replicas: 8,
      requiredAcks: 2,
      maintenance: "1s",
      handoff: "5s",
      carbonite: false,
      retry: "30s",
      getMode: "quorumSync",
      maxTtl: "7d",
      maxValueSize: "1KB",
      workload: {
        putInterval: "100s",
        getInterval: "100s",
        removeFraction: 0.05,
        ttl: "1h",
        valueSize: "1KB",
        valuesPerKey: 3,
        recentGetFraction: 0.5,
        recent: "10m",
        timeout: "60s",
      },
    });
    expect(Object.keys(s.document.storage as object)).toEqual(["replication", "replicas", "requiredAcks", "maintenance", "handoff", "carbonite", "retry", "getMode", "maxTtl", "maxValueSize", "workload"]);
  });

  it("waits for 2 acks by default, or for every other replica when there are fewer", () => {
    expect(parse(withStorage({ replication: "bamboo" })).storage?.requiredAcks).toBe(2);
    expect(parse(withStorage({ replication: "bamboo", replicas: 2 })).storage?.requiredAcks).toBe(1);
    expect(parse(withStorage({ replication: "bamboo", replicas: 1 })).storage?.requiredAcks).toBe(0);
  });

  it("takes each replication's own defaults, and values given over them", () => {
    const dhash = parse(withStorage({ replication: "dhash", carbonite: true }, "chord")).storage;
    expect([dhash?.replicas, dhash?.maintenanceMs, dhash?.handoffMs, dhash?.carbonite]).toEqual([5, 300_000, 60_000, true]);
    const push = parse(withStorage({ replication: "push" }, "kademlia")).storage;
    expect([push?.replicas, push?.maintenanceMs, push?.handoffMs]).toEqual([4, 1000, 5000]);
    const given = parse(withStorage({ replication: "bamboo", replicas: 3, maintenance: "10s", workload: { ttl: { min: "1m", max: "2h" }, valueSize: { min: "32B", max: "1KB" } } }));
    expect(given.storage?.replicas).toBe(3);
    expect(given.storage?.maintenanceMs).toBe(10_000);
    expect(given.storage?.workload.ttlMs).toEqual({ min: 60_000, max: 7_200_000 });
    expect(given.storage?.workload.valueBytes).toEqual({ min: 32, max: 1024 });
  });

  it("re-reads its own written document to the same scenario", () => {
    const first = parse(withStorage({ replication: "dhash" }, "chord"));
    const again = parse(structuredClone(first.document));
    expect(again.storage).toEqual(first.storage);
    expect(again.document).toEqual(first.document);
  });

  it("refuses a protocol without key-based routing, by its definition's flag", () => {
    expect(() => parse(withStorage({ replication: "bamboo" }, "onehop"))).toThrow(
      'test.json: /storage: the protocol "onehop" offers no key-based routing, which the storage layer runs on',
    );
    // The real registry, whatever it declares today: onehop never routes by key.
    const real: ProtocolOptionsCheck = (name, options) => checkProtocolOptions(PROTOCOLS, name, options);
    expect(() => parse(withStorage({ replication: "push" }, "onehop"), real)).toThrow("/storage: the protocol");
    // A check that says nothing of the protocol is taken as no key-based routing.
    expect(() => parse(withStorage({ replication: "push" }), () => {})).toThrow("offers no key-based routing");
    expect(() => parse(withStorage({ replication: "push" }), () => ({ keyBasedRouting: true }))).not.toThrow();
  });

  it.each([
    [{}, '/storage: missing required key "replication"'],
    [{ replication: "raid" }, '/storage/replication: expected one of "bamboo", "dhash", "push"'],
    [{ replication: "bamboo", colour: 1 }, "/storage/colour: unknown key (expected one of \"replication\", \"replicas\""],
    [{ replication: "bamboo", replicas: 0 }, "/storage/replicas: expected at least 1"],
    [{ replication: "dhash" }, '/storage/replication: "dhash" runs on Chord; expected "bamboo" or "push" with protocol "bamboo"'],
    [{ replication: "bamboo", carbonite: true }, '/storage/carbonite: Carbonite is a rule of DHash; expected false, or "replication": "dhash"'],
    [{ replication: "bamboo", replicas: 2, requiredAcks: 2 }, "/storage/requiredAcks: expected at most replicas − 1 (1)"],
    [{ replication: "bamboo", retry: "soon" }, '/storage/retry: expected a duration such as "500ms"'],
    [{ replication: "bamboo", maintenance: "0s" }, "/storage/maintenance: expected a duration greater than zero"],
    [{ replication: "bamboo", workload: { ttl: "8d" } }, "/storage/workload/ttl: expected at most maxTtl (7d)"],
    [{ replication: "bamboo", maxTtl: "1h", workload: { ttl: { min: "1m", max: "2h" } } }, "/storage/workload/ttl: expected at most maxTtl (1h)"],
    [{ replication: "bamboo", workload: { ttl: { min: "2h", max: "1h" } } }, "/storage/workload/ttl/min: expected at most max (1h)"],
    [{ replication: "bamboo", workload: { ttl: "soon" } }, '/storage/workload/ttl: expected a duration such as "500ms"'],
    [{ replication: "bamboo", workload: { ttl: { min: "1m", max: "later" } } }, '/storage/workload/ttl/max: expected a duration such as "500ms"'],
    [{ replication: "bamboo", workload: { valueSize: { min: "32B" } } }, '/storage/workload/valueSize: missing required key "max"'],
    [{ replication: "bamboo", workload: { ttl: "0s" } }, "/storage/workload/ttl: expected a duration greater than zero"],
    [{ replication: "bamboo", workload: { valueSize: "2KB" } }, "/storage/workload/valueSize: expected at most maxValueSize (1KB)"],
    [{ replication: "bamboo", workload: { removeFraction: 1.5 } }, "/storage/workload/removeFraction: expected at most 1"],
    [{ replication: "bamboo", workload: { putInterval: "0s" } }, "/storage/workload/putInterval: expected a duration greater than zero"],
    [{ replication: "bamboo", workload: { gets: 3 } }, "/storage/workload/gets: unknown key"],
    [{ replication: "bamboo", admission: {} }, '/storage/admission: missing required key "algorithm"'],
    [{ replication: "bamboo", admission: { algorithm: "fifo" } }, '/storage/admission/algorithm: expected one of "none", "openDht", "fairSpaceTime"'],
    [{ replication: "push", admission: { algorithm: "openDht" } }, '/storage/admission/algorithm: admission control runs at the root of Bamboo\'s store (OpenDHT); expected "none", or "replication": "bamboo"'],
    [{ replication: "bamboo", admission: { algorithm: "random", rate: "1KB" } }, '/storage/admission/rate: "random" takes no rate; expected it only with openDht, fairSpaceTime or noQueuing'],
    [{ replication: "bamboo", admission: { algorithm: "openDht", period: "1s" } }, '/storage/admission/period: "openDht" decides each put on arrival; expected a period only with a queueing algorithm'],
    [{ replication: "bamboo", admission: { algorithm: "fairSpaceTime", rate: "0B" } }, "/storage/admission/rate: expected a size (bytes per second) greater than zero"],
    [{ replication: "bamboo", clients: { groups: [] } }, "/storage/clients/groups: expected at least 1 item"],
    [{ replication: "bamboo", clients: { groups: [{ name: "a", count: 1 }] } }, '/storage/clients/groups/0: missing required key "putInterval"'],
    [{ replication: "bamboo", clients: { groups: [{ name: "a", count: 0, putInterval: "1s" }] } }, "/storage/clients/groups/0/count: expected at least 1"],
    [
      { replication: "bamboo", clients: { groups: [{ name: "a", count: 1, putInterval: "1s" }, { name: "a", count: 2, putInterval: "2s" }] } },
      '/storage/clients/groups/1/name: "a" names an earlier group too; expected a name of its own',
    ],
    [{ replication: "bamboo", maxTtl: "1h", clients: { groups: [{ name: "a", count: 1, putInterval: "1s", ttl: "2h" }] } }, "/storage/clients/groups/0/ttl: expected at most storage.maxTtl (1h)"],
    [{ replication: "bamboo", clients: { groups: [{ name: "a", count: 1, putInterval: "1s", valueSize: "4KB" }] } }, "/storage/clients/groups/0/valueSize: expected at most storage.maxValueSize (1KB)"],
    [{ replication: "bamboo", clients: { groups: [{ name: "a", count: 1, putInterval: "0s" }] } }, "/storage/clients/groups/0/putInterval: expected a duration greater than zero"],
    [{ replication: "bamboo", clients: { gateway: "closest", groups: [{ name: "a", count: 1, putInterval: "1s" }] } }, '/storage/clients/gateway: expected one of "nearest", "random"'],
  ])("rejects %j naming the path and what was expected", (storage, message) => {
    expect(() => parse(withStorage(storage as Record<string, unknown>))).toThrow(`test.json: ${message}`);
  });

  it("fills each admission algorithm's own defaults, and writes admission and clients out only when given", () => {
    const openDht = parse(withStorage({ replication: "bamboo", admission: { algorithm: "openDht" } }));
    expect(openDht.storage?.admission).toEqual({ algorithm: "openDht", rateBytesPerS: 2048, periodMs: 0 });
    expect((openDht.document.storage as any).admission).toEqual({ algorithm: "openDht", rate: "2KB" });
    const fst = parse(withStorage({ replication: "bamboo", admission: { algorithm: "fairSpaceTime" } }));
    expect(fst.storage?.admission).toEqual({ algorithm: "fairSpaceTime", rateBytesPerS: 1024, periodMs: 1000 });
    const random = parse(withStorage({ replication: "bamboo", admission: { algorithm: "random" } }));
    expect(random.storage?.admission).toEqual({ algorithm: "random", rateBytesPerS: 0, periodMs: 1000 });
    const clients = parse(withStorage({ replication: "bamboo", clients: { groups: [{ name: "a", count: 2, putInterval: "1s" }] } }));
    expect(clients.storage?.clients).toEqual({
      groups: [{ name: "a", count: 2, putIntervalMs: 1000, getIntervalMs: 0, ttlMs: { min: 3_600_000, max: 3_600_000 }, valueBytes: { min: 1024, max: 1024 } }],
      gateway: "nearest",
      gatewayTimeoutMs: 30_000,
      againDelayMs: 1000,
      attempts: 3,
    });
    expect(Object.keys(parse(withStorage({ replication: "bamboo" })).document.storage as object)).not.toContain("clients");
  });
});
