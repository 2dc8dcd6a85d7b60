import { openDhtSettings } from "../../service/admission/open-dht.js";
import type { AdmissionRunSummary } from "../../sim/experiments/admission/study-experiment.js";
import { parseDuration } from "../../sim/scenario/units.js";
import { allOf, type Claim as ClaimOf, type ClaimResult, checkEvery, type Finding, need, side } from "../claim-checks.js";
import { difference, finding, itself, ratio, sample, valuesOf } from "../claim-samples.js";
import { paired } from "../paired.js";
import { is, parsed, where } from "../usenix04/experiment-data.js";
import { estimate, percent, plain, points, signed, times } from "../usenix04/format.js";
import { acceptedFraction, type AdmissionData, groupValues, isAdmission, isSweep, perReplicate, type StudyData, type SweepData } from "./data.js";

export type { ClaimResult, Verdict } from "../claim-checks.js";

/** One claim about the OpenDHT service, in our words, and how our numbers test it. */
export type Claim = ClaimOf<StudyData>;

/** Experiment 1's file: fssim's tests on one node, every algorithm. */
export const ADMISSION = "1-admission";

/** Experiment 2's file: clients, one greedy, admission at every root, with and without churn. */
export const OVERUSE = "2-overuse";
/** Experiment 3's file: ReDiR on clients under churn, over TTL × levels. */
export const REDIR = "3-redir";
/** Experiment 2's design axis. */
export const ALGORITHM = "storage.admission.algorithm";
export const REDIR_TTL = "storage.redir.ttl";
export const REDIR_LEVELS = "storage.redir.levels";
/** Experiment 4's file: clients' gets through gateways, over get mode × PNS, without churn and under Kazaa churn. */
export const GET_LATENCY = "4-get-latency";
/** Experiment 4's design axes. */
export const GET_MODE = "storage.getMode";
export const PNS = "protocol.pns";
/** Experiment 4's get modes, in the report's order, and PNS as the grid spells it. */
export const GET_MODES = ["rootOnly", "quorum", "quorumSync"];
export const PNS_ON = "both";
export const PNS_OFF = "off";
export const pnsName = (value: string) => (value === PNS_OFF ? "PNS off" : value === PNS_ON ? "PNS on" : `PNS ${value}`);
/** The client's gateway timeout in experiment 4 (the scenario's default `storage.clients.gatewayTimeout`), in ms. */
export const GATEWAY_TIMEOUT_MS = 30_000;

/** A churn grid value's name: "no churn", or its preset's ("Kazaa churn"), or its process's. */
export function churnName(value: string | undefined): string {
  const c = parsed(value);
  if (c === undefined || c.process === "none") return "no churn";
  if (typeof c.preset === "string") return `${c.preset[0].toUpperCase()}${c.preset.slice(1)} churn`;
  return `${c.process} churn`;
}
const churnIs = (name: string) => (value: string) => churnName(value) === name;
export const KAZAA = "Kazaa churn";
export const NO_CHURN = "no churn";

const sweepOf = (d: StudyData, id: string): SweepData => {
  const e = need(d[id], id);
  if (!isSweep(e)) throw new Error(`${id}: expected a sweep`);
  return e;
};
/** The churn levels of a sweep's runs, no churn first. */
export const churnLevels = (e: SweepData): string[] => [...new Set(e.runs.map((r) => churnName(r.point.churn)))].sort((a, b) => (a === NO_CHURN ? -1 : b === NO_CHURN ? 1 : a.localeCompare(b)));
/** An algorithm's values of a metric at one churn level, by seed (the algorithms share seeds). */
const overuse = (d: StudyData, algorithm: string, churn: string, metric: string) =>
  sample(sweepOf(d, OVERUSE), metric, where({ [ALGORITHM]: is(algorithm), churn: churnIs(churn) }), `${algorithm} under ${churn}`);
/** A client group's figure under one algorithm and churn level, by seed. */
const overuseGroup = (d: StudyData, group: string, field: string, algorithm: string, churn: string) =>
  need(groupValues(sweepOf(d, OVERUSE), group, field, where({ [ALGORITHM]: is(algorithm), churn: churnIs(churn) })), `${OVERUSE}: ${group} ${field} for ${algorithm} under ${churn}`);

const admission = (d: StudyData): AdmissionData => {
  const e = need(d[ADMISSION], ADMISSION);
  if (!isAdmission(e)) throw new Error(`${ADMISSION}: expected an admission experiment`);
  return e;
};

/** One part of a claim: a statistic of one test against its threshold. */
function part(d: StudyData, test: number, algorithm: string, f: (r: AdmissionRunSummary) => number, claimed: "above" | "below", threshold: number, show: (x: number) => string) {
  const est = paired([need(perReplicate(admission(d), test, algorithm, f), `${ADMISSION}: test ${test} under ${algorithm}`)], itself);
  return { f: side(est, claimed, threshold), text: `test ${test} ${estimate(est, show)}` };
}

const combine = (label: string, parts: { f: Finding; text: string }[]): ClaimResult => finding(allOf(parts.map((p) => p.f)), `${label}: ${parts.map((p) => p.text).join("; ")}`);

/** The client of a run named exactly `name`; a bug in the claim when it is missing. */
function client(r: AdmissionRunSummary, name: string) {
  const c = r.clients.find((x) => x.client === name);
  if (c === undefined) throw new Error(`test ${r.test}: no client "${name}"`);
  return c;
}

/** Bytes a put costs the deployed root: its value and the key stored with it. */
const KEY_BYTES = openDhtSettings().keyOverheadBytes;
/** Test 4's clients whose puts live an hour (1 kB, 256 B, 64 B): one TTL class, one token bucket. */
export const TEST4_HOUR_CLIENTS = ["fastest 1kB·1h 20/s", "fast 1kB·1h 2/s", "1kB·1h 1/s", "256B·1h 4/s", "64B·1h 16/s"];
/** Accepted bytes per second, value and key, of one client of a run. */
const costBytesPerS = (r: AdmissionRunSummary, name: string) => {
  const c = client(r, name);
  return c.acceptedPutsPerS * (c.sizeBytes + KEY_BYTES);
};

const ADMISSION_CLAIMS: Claim[] = [
  {
    claim:
      "fairSpaceTime (fssim's virtual-time fair queueing with the storage-tree test) gives every client of tests 1, 3 and 4 its max-min share of the node's space-time: no client's accepted space-time is more than 10% off its target (12% on test 4, whose short and small puts make a longer transient).",
    experiment: "1 admission on one node",
    check: (d) =>
      combine("largest deviation from the max-min target", [
        part(d, 1, "fairSpaceTime", (r) => r.maxDeviation, "below", 0.1, percent),
        part(d, 3, "fairSpaceTime", (r) => r.maxDeviation, "below", 0.1, percent),
        part(d, 4, "fairSpaceTime", (r) => r.maxDeviation, "below", 0.12, percent),
      ]),
  },
  {
    claim: "fairSpaceTime is fair on every one of fssim's seven tests: Jain's index of each client's accepted space-time over its max-min share of the accepted total is at least 0.99.",
    experiment: "1 admission on one node",
    check: (d) => {
      const tests = [...new Set(admission(d).runs.filter((r) => r.algorithm === "fairSpaceTime").map((r) => r.test))].sort((a, b) => a - b);
      need(tests.length > 0 ? tests : undefined, `${ADMISSION}: fairSpaceTime`);
      return combine("Jain's index", tests.map((t) => part(d, t, "fairSpaceTime", (r) => r.jain, "above", 0.99, plain(3))));
    },
  },
  {
    claim: "The random control (one pending put accepted per period, at random) is unfair: a client's share grows with how often it puts, so Jain's index is below 0.5 on tests 1, 3 and 4.",
    experiment: "1 admission on one node",
    check: (d) => combine("Jain's index", [1, 3, 4].map((t) => part(d, t, "random", (r) => r.jain, "below", 0.5, plain(3)))),
  },
  {
    claim:
      "Accepting one put per period whatever its size and TTL (fairRate, fairStorage, fairCommitment) cannot split space-time fairly when clients mix sizes and TTLs: on test 4 some client is more than 50% off its max-min target under each.",
    experiment: "1 admission on one node",
    check: (d) =>
      combine("test 4, largest deviation from the max-min target", ["fairRate", "fairStorage", "fairCommitment"].map((a) => {
        const p = part(d, 4, a, (r) => r.maxDeviation, "above", 0.5, percent);
        return { f: p.f, text: p.text.replace(/^test 4/, a) };
      })),
  },
  {
    claim:
      "Deciding each put on arrival, without a queue, wastes capacity under overload: noQueuing accepts less than 90% of the node's space-time on tests 1, 3 and 4, where fairSpaceTime accepts at least 99% of it.",
    experiment: "1 admission on one node",
    check: (d) => {
      const parts = [1, 3, 4].flatMap((t) => [
        { ...part(d, t, "noQueuing", acceptedFraction, "below", 0.9, percent), who: "noQueuing" },
        { ...part(d, t, "fairSpaceTime", acceptedFraction, "above", 0.99, percent), who: "fairSpaceTime" },
      ]);
      return finding(allOf(parts.map((p) => p.f)), `accepted space-time over capacity: ${parts.map((p) => `${p.who} ${p.text}`).join("; ")}`);
    },
  },
  {
    claim:
      "The deployed OpenDHT root (token buckets per TTL class, Dht.java) is fair in bytes, not in space-time: on test 4 its five 1-hour clients, whatever their put size (1 kB, 256 B, 64 B), get accepted bytes per second (value plus the 77-B key) within 10% of one another, while the 1 kB·1 h client at 1/s gets more than 1.5× the space-time of the 64 B·1 h one (equal bytes per second would give ×2.05, equal space-time ×1).",
    experiment: "1 admission on one node",
    check: (d) => {
      const spread = (r: AdmissionRunSummary) => {
        const bytes = TEST4_HOUR_CLIENTS.map((c) => costBytesPerS(r, c));
        return Math.max(...bytes) / Math.min(...bytes);
      };
      const ratio = (r: AdmissionRunSummary) => client(r, "1kB·1h 1/s").acceptedSpaceTimePerS / client(r, "64B·1h 16/s").acceptedSpaceTimePerS;
      const a = part(d, 4, "openDht", spread, "below", 1.1, times);
      const b = part(d, 4, "openDht", ratio, "above", 1.5, times);
      return finding(allOf([a.f, b.f]), `test 4 under openDht: largest over smallest accepted bytes/s of the 1-h clients ${a.text.replace(/^test 4 /, "")}; space-time of 1 kB·1 h over 64 B·1 h ${b.text.replace(/^test 4 /, "")}`);
    },
  },
];

const OVERUSE_CLAIMS: Claim[] = [
  {
    claim:
      "Under Kazaa churn, fairSpaceTime at every root still keeps every client within 20% of its max-min share of the space-time the roots accepted (largest deviation below 20%), although each root's commitments are lost when it stops being root.",
    experiment: "2 admission at every root",
    check: (d) => {
      const est = paired([overuse(d, "fairSpaceTime", KAZAA, "clients_max_min_deviation")], itself);
      return finding(side(est, "below", 0.2), `largest deviation from max-min under Kazaa churn: ${estimate(est, percent)}`);
    },
  },
  {
    claim: "The random control is further from max-min than fairSpaceTime at every churn level: its largest deviation is larger, paired seed by seed.",
    experiment: "2 admission at every root",
    check: (d) => {
      const levels = need(churnLevels(sweepOf(d, OVERUSE)).length > 0 ? churnLevels(sweepOf(d, OVERUSE)) : undefined, `${OVERUSE}: churn levels`);
      const parts = levels.map((churn) => {
        const est = paired([overuse(d, "random", churn, "clients_max_min_deviation"), overuse(d, "fairSpaceTime", churn, "clients_max_min_deviation")], difference);
        return { f: side(est, "above", 0), text: `${churn}: random minus fairSpaceTime ${estimate(est, points, "points")}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `largest deviation from max-min, ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "With no admission control every put is stored: at least 99.9% of the clients' puts, with and without churn.",
    experiment: "2 admission at every root",
    check: (d) => {
      const parts = churnLevels(sweepOf(d, OVERUSE)).map((churn) => {
        const est = paired([overuse(d, "none", churn, "clients_put_ok_fraction")], itself);
        return { f: side(est, "above", 0.999), text: `${churn} ${estimate(est, percent)}` };
      });
      need(parts.length > 0 ? parts : undefined, `${OVERUSE}: churn levels`);
      return finding(allOf(parts.map((p) => p.f)), `puts stored without admission: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "Under Kazaa churn, fairSpaceTime protects the light clients from the greedy one: the light clients have at least 99% of their puts stored, the greedy client, asking twice what the roots can take, less than 60%.",
    experiment: "2 admission at every root",
    check: (d) => {
      const light = paired([overuseGroup(d, "light", "put_ok_fraction", "fairSpaceTime", KAZAA)], itself);
      const greedy = paired([overuseGroup(d, "greedy", "put_ok_fraction", "fairSpaceTime", KAZAA)], itself);
      return finding(allOf([side(light, "above", 0.99), side(greedy, "below", 0.6)]), `puts stored under fairSpaceTime and Kazaa churn: light clients ${estimate(light, percent)}; greedy client ${estimate(greedy, percent)}`);
    },
  },
];

/** Experiment 3's TTLs and level counts, shortest and fewest first. */
export const redirTtls = (e: SweepData) => valuesOf(e, REDIR_TTL, parseDuration);
export const redirLevels = (e: SweepData) => valuesOf(e, REDIR_LEVELS, Number);
const redir = (d: StudyData, metric: string, ttl: string, levels: string) =>
  sample(sweepOf(d, REDIR), metric, where({ [REDIR_TTL]: is(ttl), [REDIR_LEVELS]: is(levels) }), `TTL ${ttl}, ${levels} levels`);

const REDIR_CLAIMS: Claim[] = [
  {
    claim: "With the shortest TTL tried, ReDiR lookups under Kazaa churn find the true successor at least 90% of the time, at every number of levels.",
    experiment: "3 ReDiR under churn",
    check: (d) => {
      const e = sweepOf(d, REDIR);
      const ttl = need(redirTtls(e)[0], `${REDIR}: a TTL`);
      const parts = redirLevels(e).map((levels) => {
        const est = paired([redir(d, "redir_correct_fraction", ttl, levels)], itself);
        return { f: side(est, "above", 0.9), text: `${levels} levels ${estimate(est, percent)}` };
      });
      need(parts.length > 0 ? parts : undefined, `${REDIR}: levels`);
      return finding(allOf(parts.map((p) => p.f)), `lookups right at TTL ${ttl}: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "Longer TTLs give more stale answers: a departed member's registration lives until its TTL runs out, so at every number of levels fewer lookups are right at the longest TTL than at the shortest, paired seed by seed.",
    experiment: "3 ReDiR under churn",
    check: (d) => {
      const e = sweepOf(d, REDIR);
      const ttls = redirTtls(e);
      need(ttls.length > 1 ? ttls : undefined, `${REDIR}: two TTLs`);
      const [short, long] = [ttls[0], ttls[ttls.length - 1]];
      const parts = redirLevels(e).map((levels) => {
        const est = paired([redir(d, "redir_correct_fraction", short, levels), redir(d, "redir_correct_fraction", long, levels)], difference);
        return { f: side(est, "above", 0), text: `${levels} levels ${estimate(est, points, "points")}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `lookups right at TTL ${short} minus at ${long}: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
];

/** A metric of experiment 4 at one get mode, PNS setting and churn level, by seed (the modes and PNS settings of a churn level share seeds). */
const getLatency = (d: StudyData, metric: string, mode: string, pns: string, churn: string) =>
  sample(sweepOf(d, GET_LATENCY), metric, where({ [GET_MODE]: is(mode), [PNS]: is(pns), churn: churnIs(churn) }), `${mode}, ${pnsName(pns)}, ${churn}`);
/** The churn levels experiment 4 ran (no churn first), each a part of the claims that hold at every level. */
const getLatencyLevels = (d: StudyData) => {
  const levels = churnLevels(sweepOf(d, GET_LATENCY));
  return need(levels.length > 0 ? levels : undefined, `${GET_LATENCY}: churn levels`);
};
/** `a`'s metric minus `b`'s at one PNS setting and churn level, paired seed by seed, claimed above zero. */
function slower(d: StudyData, metric: string, a: string, b: string, pns: string, churn: string, label: string) {
  const est = paired([getLatency(d, metric, a, pns, churn), getLatency(d, metric, b, pns, churn)], difference);
  return { f: side(est, "above", 0), text: `${label} ${estimate(est, signed(0), "ms")}` };
}
const PNS_SETTINGS = [PNS_ON, PNS_OFF];

const GET_LATENCY_CLAIMS: Claim[] = [
  {
    claim:
      "A quorum costs time: a quorum get (the gateway asks the replicas other than the root directly and waits for 5 of the 8 answers, Bamboo's QUORUM) is slower at the median than a root-only get (the root's answer alone, ROOT_ONLY), at both churn levels, with PNS on and off, paired seed by seed.",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = getLatencyLevels(d).flatMap((churn) => PNS_SETTINGS.map((pns) => slower(d, "get_latency_p50_ms", "quorum", "rootOnly", pns, churn, `${churn}, ${pnsName(pns)}:`)));
      return finding(allOf(parts.map((p) => p.f)), `median get latency, quorum minus rootOnly: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim:
      "Synced replicas count as answers (OpenDHT's deployed QUORUM_SYNC): replicas the root synchronised with lately need not be asked, so quorumSync is faster than quorum at the median, at both churn levels, with PNS on and off, paired seed by seed.",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = getLatencyLevels(d).flatMap((churn) => PNS_SETTINGS.map((pns) => slower(d, "get_latency_p50_ms", "quorum", "quorumSync", pns, churn, `${churn}, ${pnsName(pns)}:`)));
      return finding(allOf(parts.map((p) => p.f)), `median get latency, quorum minus quorumSync: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim:
      "Without churn, anti-entropy every 1–2 s keeps the root synced with its whole replica set (a synced mark lasts about 17 minutes), so the deployed quorumSync costs next to nothing over root-only gets: its median get latency is within 5% of rootOnly's, with PNS on and off.",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = PNS_SETTINGS.map((pns) => {
        const est = paired([getLatency(d, "get_latency_p50_ms", "quorumSync", pns, NO_CHURN), getLatency(d, "get_latency_p50_ms", "rootOnly", pns, NO_CHURN)], ratio);
        return { f: side(est, "below", 1.05), text: `${pnsName(pns)} ${estimate(est, times)}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `median get latency without churn, quorumSync over rootOnly: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim:
      "Proximity neighbour selection lowers the median get latency: with Bamboo's global and local tuning the route to the root takes nearer hops, so under every get mode and at both churn levels the median is higher with PNS off than on, paired seed by seed.",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = getLatencyLevels(d).flatMap((churn) =>
        GET_MODES.map((mode) => {
          const est = paired([getLatency(d, "get_latency_p50_ms", mode, PNS_OFF, churn), getLatency(d, "get_latency_p50_ms", mode, PNS_ON, churn)], difference);
          return { f: side(est, "above", 0), text: `${churn}, ${mode} ${estimate(est, signed(0), "ms")}` };
        }),
      );
      return finding(allOf(parts.map((p) => p.f)), `median get latency, PNS off minus on: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "Without churn, waiting for the fifth answer lengthens the tail too: quorum's 99th-percentile get latency is above rootOnly's, with PNS on and off, paired seed by seed.",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = PNS_SETTINGS.map((pns) => slower(d, "get_latency_p99_ms", "quorum", "rootOnly", pns, NO_CHURN, `${pnsName(pns)}`));
      return finding(allOf(parts.map((p) => p.f)), `99th-percentile get latency without churn, quorum minus rootOnly: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim:
      "Under Kazaa churn the tail is the clients' gateways, not the get mode: gateways are nodes, and more than 1% of gets go to one that has left and wait out the client's 30-s gateway timeout before another is tried, so every get mode's 99th-percentile get latency is at least 30 s (PNS on).",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const parts = GET_MODES.map((mode) => {
        const est = paired([getLatency(d, "get_latency_p99_ms", mode, PNS_ON, KAZAA)], itself);
        return { f: side(est, "above", GATEWAY_TIMEOUT_MS), text: `${mode} ${estimate(est, plain(0), "ms")}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `99th-percentile get latency under Kazaa churn, PNS on: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim:
      "What the quorum buys: under Kazaa churn a new root may not yet hold a key's values, which the other replicas do, so quorumSync returns every value expected in more gets than rootOnly (PNS on, paired seed by seed).",
    experiment: "4 get latency through gateways",
    check: (d) => {
      const est = paired([getLatency(d, "get_complete_fraction", "quorumSync", PNS_ON, KAZAA), getLatency(d, "get_complete_fraction", "rootOnly", PNS_ON, KAZAA)], difference);
      return finding(side(est, "above", 0), `complete gets under Kazaa churn, PNS on, quorumSync minus rootOnly: ${estimate(est, points, "points")}`);
    },
  },
];

/** Every claim of the study, experiment by experiment. */
export const CLAIMS: Claim[] = [...ADMISSION_CLAIMS, ...OVERUSE_CLAIMS, ...REDIR_CLAIMS, ...GET_LATENCY_CLAIMS];

/** Every claim checked against whatever experiments have results. */
export function checkClaims(data: StudyData): (Claim & ClaimResult)[] {
  return checkEvery(CLAIMS, data);
}
