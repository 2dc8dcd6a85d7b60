import { parseDuration, parseRate } from "../../sim/scenario/units.js";
import { allOf, anyOf, type Claim as ClaimOf, type ClaimResult, checkEvery, need, side } from "../claim-checks.js";
import { difference, finding, itself, ratio, sample, sessionTimes, type Where } from "../claim-samples.js";
import { type Estimate, paired } from "../paired.js";
import { churnMinutes, type Experiment, is, parsed, tMedIs, where } from "./experiment-data.js";
import { estimate, percent, plain, points, signed, times } from "./format.js";

export type { ClaimResult, Verdict } from "../claim-checks.js";

type Data = Readonly<Record<string, Experiment | null>>;

/** One qualitative claim of the paper, in our words, and how our numbers test it. */
export type Claim = ClaimOf<Data>;

const experiment = (d: Data, id: string) => need(d[id], id);

/** The experiment's samples at its shortest median session time, for `param` = `value`. */
function atShortest(e: Experiment) {
  const t = sessionTimes(e)[0];
  const get = (param: string, value: string, metric: string) => sample(e, metric, where({ [param]: is(value), churn: tMedIs(t) }), `${value} at ${t} min`);
  return { t, get };
}

/** Every grid point's one-sample estimate of `metric` that `w` keeps, each checked against "at least `threshold`". */
function everyPointAtLeast(e: Experiment, metric: string, w: Where, threshold: number) {
  const keys = [...new Set(e.runs.filter((r) => r.metric === metric && r.value !== null && w(r.point)).map((r) => JSON.stringify(r.point)))];
  const estimates = need(keys.length > 0 ? keys : undefined, `${e.id}: ${metric}`).map((key) => {
    const point = JSON.parse(key) as Record<string, string>;
    const est = paired([sample(e, metric, (p) => JSON.stringify(p) === key, key)], itself);
    return { point, est, finding: side(est, "above", threshold) };
  });
  const worst = estimates.reduce((a, b) => ((b.est.mean as number) < (a.est.mean as number) ? b : a));
  return { finding: allOf(estimates.map((x) => x.finding)), worst, count: estimates.length };
}

/**
 * The PNS configuration of experiment 5 with this technique and these periods. A run's protocol holds every option,
 * defaults included, so only the periods named are compared: those the technique uses.
 */
function pns(technique: string, periods: { global?: string; local?: string }): Where {
  return (point) => {
    const p = parsed(point.protocol);
    const same = (given: string | undefined, actual: string | undefined) => given === undefined || given === actual;
    return p?.pns === technique && same(periods.global, p.globalTuningPeriod) && same(periods.local, p.localTuningPeriod);
  };
}

const PNS_OFF = pns("off", {});
/** Bamboo's own PNS: local and global tuning together; 20 s is the tested period nearest Bamboo's 10 s and 20 s. */
const PNS_BAMBOO = pns("both", { global: "20s", local: "20s" });
/** Global sampling alone at the cheapest period tested. */
const PNS_GLOBAL_CHEAPEST = pns("global", { global: "80s" });

export const CLAIMS: Claim[] = [
  {
    claim: "At a 1.4-minute median session, Bamboo keeps at least 99% of lookups consistent (the paper: 1000 nodes).",
    experiment: "6-headline",
    check: (d) => {
      const e = experiment(d, "6-headline");
      const est = paired([sample(e, "consistent_fraction", () => true, "the headline")], itself);
      return finding(side(est, "above", 0.99), `consistent with the true owner: ${estimate(est, percent)}`);
    },
  },
  {
    claim: "There, Bamboo's maintenance traffic stays under 900 bytes/s per node.",
    experiment: "6-headline",
    check: (d) => {
      const e = experiment(d, "6-headline");
      const est = paired([sample(e, "maintenance_bytes_per_node_s", () => true, "the headline")], itself);
      return finding(side(est, "below", 900), `${estimate(est, plain(), "bytes/s per node")}`);
    },
  },
  {
    claim: "Bamboo keeps at least 99% of lookups consistent at every median session time tested.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const e = experiment(d, "2-dhts-under-churn");
      const { finding: f, worst, count } = everyPointAtLeast(e, "consistent_fraction", where({ "protocol.name": is("bamboo") }), 0.99);
      const x = churnMinutes(worst.point.churn);
      return finding(f, `each of ${count} churn levels checked; lowest ${estimate(worst.est, percent)} (${x === null ? "no churn" : `median session ${x} min`})`);
    },
  },
  {
    claim: "The reactive pastry baseline degrades under churn where Bamboo does not: at the shortest sessions, paired seed by seed, its mean latency is over 1.2 times Bamboo's or its consistency more than 1 point lower.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const { t, get } = atShortest(experiment(d, "2-dhts-under-churn"));
      const latency = paired([get("protocol.name", "pastry", "latency_mean_ms"), get("protocol.name", "bamboo", "latency_mean_ms")], ratio);
      const consistency = paired([get("protocol.name", "bamboo", "consistent_fraction"), get("protocol.name", "pastry", "consistent_fraction")], difference);
      return finding(
        anyOf([side(latency, "above", 1.2), side(consistency, "above", 0.01)]),
        `at ${t} min: pastry's latency over Bamboo's ${estimate(latency, times)}; Bamboo's consistency over pastry's ${estimate(consistency, points, "points")}`,
      );
    },
  },
  {
    claim: "Chord completes lookups under churn, but with higher latency than Bamboo: at the shortest sessions, under 10% of its lookups fail and its mean latency exceeds Bamboo's, paired seed by seed.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const { t, get } = atShortest(experiment(d, "2-dhts-under-churn"));
      const latency = paired([get("protocol.name", "chord", "latency_mean_ms"), get("protocol.name", "bamboo", "latency_mean_ms")], difference);
      const failed = paired([get("protocol.name", "chord", "failed_fraction")], itself);
      return finding(allOf([side(latency, "above", 0), side(failed, "below", 0.1)]), `at ${t} min: Chord's latency minus Bamboo's ${estimate(latency, signed(), "ms")}; Chord's failed lookups ${estimate(failed, percent)}`);
    },
  },
  {
    claim: "Periodic recovery costs less maintenance bandwidth than reactive recovery at the shortest sessions.",
    experiment: "3-recovery",
    check: (d) => {
      const { t, get } = atShortest(experiment(d, "3-recovery"));
      const est = paired(["reactive", "periodic"].map((rec) => get("protocol.recovery", rec, "maintenance_bytes_per_node_s")), difference);
      return finding(side(est, "above", 0), `at ${t} min: reactive minus periodic ${estimate(est, signed(), "bytes/s per node")}`);
    },
  },
  {
    claim: "Periodic recovery's bandwidth grows less than reactive recovery's from the longest to the shortest sessions (it stays stable).",
    experiment: "3-recovery",
    check: (d) => {
      const e = experiment(d, "3-recovery");
      const ts = sessionTimes(e);
      const [lo, hi] = [ts[0], ts[ts.length - 1]];
      const get = (rec: string, t: number) => sample(e, "maintenance_bytes_per_node_s", where({ "protocol.recovery": is(rec), churn: tMedIs(t) }), `${rec} at ${t} min`, "replicate");
      // Each replicate's growth (bandwidth at the shortest over the longest sessions), reactive's minus periodic's.
      const est = paired([get("reactive", lo), get("reactive", hi), get("periodic", lo), get("periodic", hi)], (rl, rh, pl, ph) => rl / rh - pl / ph);
      const growth = (rec: string) => paired([get(rec, lo), get(rec, hi)], ratio);
      return finding(side(est, "above", 0), `from ${hi} to ${lo} min: periodic ${estimate(growth("periodic"), times)}, reactive ${estimate(growth("reactive"), times)}; reactive's growth minus periodic's ${estimate(est, (x) => x.toFixed(2))}`);
    },
  },
  {
    claim: "With limited access links, reactive recovery collapses under high churn (positive feedback) while periodic recovery stays stable: on the narrowest uplink tested, reactive's mean latency is at least twice periodic's, paired seed by seed.",
    experiment: "7c-bandwidth",
    check: (d) => {
      const e = experiment(d, "7c-bandwidth");
      const rates = [...new Set(e.runs.map((r) => r.point["network.uplink"]))].sort((a, b) => parseRate(a) - parseRate(b));
      const at = (rate: string): Estimate => {
        const get = (rec: string) => sample(e, "latency_mean_ms", where({ "protocol.recovery": is(rec), "network.uplink": is(rate) }), `${rec} at ${rate}`);
        return paired([get("reactive"), get("periodic")], ratio);
      };
      const narrowest = need(rates[0], "7c-bandwidth: uplinks");
      const est = at(narrowest);
      const others = rates.slice(1).map((r) => `${r} ${times(at(r).mean ?? NaN)}`);
      return finding(side(est, "above", 2), `reactive's latency over periodic's at ${narrowest}: ${estimate(est, times)}${others.length > 0 ? `; wider uplinks (means): ${others.join(", ")}` : ""}`);
    },
  },
  {
    claim: "Past the paper: a per-message processing cost sets off the same collapse on the paper's 1 Mbit/s links: at the largest processing time tested, reactive's mean latency is at least twice periodic's, paired seed by seed.",
    experiment: "7d-processing",
    check: (d) => {
      const e = experiment(d, "7d-processing");
      const costs = [...new Set(e.runs.map((r) => r.point["network.processing"]))].sort((a, b) => parseDuration(a) - parseDuration(b));
      const largest = need(costs[costs.length - 1], "7d-processing: processing times");
      const get = (rec: string) => sample(e, "latency_mean_ms", where({ "protocol.recovery": is(rec), "network.processing": is(largest) }), `${rec} at ${largest}`);
      const est = paired([get("reactive"), get("periodic")], ratio);
      return finding(side(est, "above", 2), `reactive's latency over periodic's at ${largest} per message: ${estimate(est, times)}`);
    },
  },
  {
    claim: "TCP-style timeouts give lower lookup latency than fixed 5 s timeouts under high churn (at the shortest sessions, paired seed by seed).",
    experiment: "4-timeouts",
    check: (d) => {
      const { t, get } = atShortest(experiment(d, "4-timeouts"));
      const est = paired(["fixed", "tcp"].map((k) => get("protocol.timeouts", k, "latency_mean_ms")), difference);
      return finding(side(est, "above", 0), `at ${t} min: fixed minus TCP-style ${estimate(est, signed(), "ms")}`);
    },
  },
  {
    claim: "Virtual-coordinate timeouts do about as well as TCP-style ones: at the shortest sessions their mean latency is within 25% of TCP-style's, paired seed by seed.",
    experiment: "4-timeouts",
    check: (d) => {
      const { t, get } = atShortest(experiment(d, "4-timeouts"));
      const est = paired(["vivaldi", "tcp"].map((k) => get("protocol.timeouts", k, "latency_mean_ms")), ratio);
      return finding(allOf([side(est, "above", 0.75), side(est, "below", 1.25)]), `at ${t} min: Vivaldi's latency over TCP-style's ${estimate(est, times)}`);
    },
  },
  {
    claim: "Proximity neighbour selection lowers lookup latency: Bamboo's own PNS (local and global tuning, here both every 20 s) is at least 10% faster than no PNS, paired seed by seed.",
    experiment: "5-pns",
    check: (d) => {
      const e = experiment(d, "5-pns");
      const est = paired([sample(e, "latency_mean_ms", PNS_BAMBOO, "local and global tuning every 20 s"), sample(e, "latency_mean_ms", PNS_OFF, "no PNS")], ratio);
      return finding(side(est, "below", 0.9), `latency with PNS over without ${estimate(est, times)} (every technique and period against no PNS: the experiment's table)`);
    },
  },
  {
    claim: "Global sampling alone gives most of PNS's gain: every 80 s (the cheapest period tested) it recovers at least half of the latency reduction of Bamboo's own PNS every 20 s, paired seed by seed.",
    experiment: "5-pns",
    check: (d) => {
      const e = experiment(d, "5-pns");
      const [off, global, full] = [sample(e, "latency_mean_ms", PNS_OFF, "no PNS"), sample(e, "latency_mean_ms", PNS_GLOBAL_CHEAPEST, "global sampling every 80 s"), sample(e, "latency_mean_ms", PNS_BAMBOO, "local and global tuning every 20 s")];
      // Global's gain minus half the full gain: positive when global recovers more than half of it.
      const est = paired([off, global, full], (o, g, f) => o - g - 0.5 * (o - f));
      const gain = (s: Map<number, number>) => paired([off, s], difference);
      return finding(side(est, "above", 0), `gain over no PNS: global every 80 s ${estimate(gain(global), signed(), "ms")}, local and global every 20 s ${estimate(gain(full), signed(), "ms")}; global's gain minus half the full gain ${estimate(est, signed(), "ms")}`);
    },
  },
  {
    claim: "Maintenance bandwidth grows slowly with the number of nodes (logarithmically): at the mildest and at the harshest churn tested, ten times the nodes costs less than twice the bandwidth per node.",
    experiment: "7a-scale",
    check: (d) => {
      const e = experiment(d, "7a-scale");
      const sizes = [...new Set(e.runs.map((r) => Number(r.point.nodes)))].sort((a, b) => a - b);
      const [small, large] = [sizes[0], sizes[sizes.length - 1]];
      need(large > small ? large : undefined, "7a-scale: two network sizes");
      const ts = sessionTimes(e, "churn.tMed");
      const levels = [...new Set([ts[ts.length - 1], ts[0]])];
      const parts = levels.map((t) => {
        const get = (n: number) => sample(e, "maintenance_bytes_per_node_s", where({ nodes: is(String(n)), "churn.tMed": tMedIs(t) }), `${n} nodes at ${t} min`, "replicate");
        const est = paired([get(large), get(small)], ratio);
        return { f: side(est, "below", 2), text: `at ${t} min ${estimate(est, times)}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `bandwidth per node at ${large} nodes over ${small} nodes (×${large / small} nodes): ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "The conclusions survive heavy-tailed sessions: with Weibull or Pareto sessions of the same medians Bamboo still keeps at least 99% of lookups consistent.",
    experiment: "7b-session-shapes",
    check: (d) => {
      const e = experiment(d, "7b-session-shapes");
      const { finding: f, worst, count } = everyPointAtLeast(e, "consistent_fraction", () => true, 0.99);
      const s = parsed(worst.point["churn.sessions"]);
      return finding(f, `each of ${count} session shapes and medians checked; lowest ${estimate(worst.est, percent)} (${s?.distribution}, median ${worst.point["churn.sessions.median"]})`);
    },
  },
];

/** Every claim checked against whatever experiments have results. */
export function checkClaims(data: Data): (Claim & ClaimResult)[] {
  return checkEvery(CLAIMS, data);
}
