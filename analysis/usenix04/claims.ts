import { parseDuration, parseRate } from "../../sim/scenario/units.js";
import { at, churnMinutes, type Experiment, is, parsed, tMedIs, where } from "./experiment-data.js";
import { type Claim as ClaimOf, type ClaimResult, checkEvery, need, verdict } from "../claim-checks.js";
import { value } from "./format.js";

export type { ClaimResult, Verdict } from "../claim-checks.js";

/** One qualitative claim of the paper, in our words, and how our numbers test it. */
export type Claim = ClaimOf<Readonly<Record<string, Experiment | null>>>;

const mean = (r: { mean: number | null }) => r.mean as number;

/** The shortest median session time measured in an experiment's `churn` column. */
function shortest(e: Experiment, param = "churn"): number {
  const xs = e.rows.map((r) => churnMinutes(r.point[param])).filter((x): x is number => x !== null);
  return need(xs.length > 0 ? Math.min(...xs) : undefined, `${e.id}: no run with churn`);
}

/**
 * The experiment's points at its shortest median session time: `get(param, value, metric)` is the metric where
 * `param` has `value` there (a claim about high churn reads its numbers this way).
 */
function atShortestSession(d: Readonly<Record<string, Experiment | null>>, id: string) {
  const e = need(d[id], id);
  const t = shortest(e);
  const get = (param: string, value: string, metric: string) => need(at(e, metric, where({ [param]: is(value), churn: tMedIs(t) })), `${value} ${metric} at ${t} min`);
  return { t, get };
}

function longest(e: Experiment, param = "churn"): number {
  const xs = e.rows.map((r) => churnMinutes(r.point[param])).filter((x): x is number => x !== null);
  return need(xs.length > 0 ? Math.max(...xs) : undefined, `${e.id}: no run with churn`);
}

export const CLAIMS: Claim[] = [
  {
    claim: "At a 1.4-minute median session, 1000 Bamboo nodes keep at least 99% of lookups consistent.",
    experiment: "6-headline",
    check: (d) => {
      const r = need(at(d["6-headline"], "consistent_fraction", () => true), "6-headline: consistent_fraction");
      return verdict(mean(r) >= 0.99, `${value(r)} consistent with the true owner`);
    },
  },
  {
    claim: "There, Bamboo's maintenance traffic stays under 900 bytes/s per node.",
    experiment: "6-headline",
    check: (d) => {
      const r = need(at(d["6-headline"], "maintenance_bytes_per_node_s", () => true), "6-headline: maintenance bandwidth");
      return verdict((r.high ?? mean(r)) < 900, `${value(r)} bytes/s per node (upper 95% bound ${(r.high ?? mean(r)).toFixed(0)})`);
    },
  },
  {
    claim: "Bamboo keeps at least 99% of lookups consistent at every median session time tested.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const e = need(d["2-dhts-under-churn"], "2-dhts-under-churn");
      const rows = e.rows.filter((r) => r.metric === "consistent_fraction" && r.point["protocol.name"] === "bamboo" && r.mean !== null);
      need(rows.length > 0 ? rows : undefined, "2-dhts-under-churn: Bamboo's consistency");
      const worst = rows.reduce((a, b) => (mean(b) < mean(a) ? b : a));
      const x = churnMinutes(worst.point.churn);
      return verdict(mean(worst) >= 0.99, `lowest ${value(worst)} (${x === null ? "no churn" : `median session ${x} min`})`);
    },
  },
  {
    claim: "The reactive pastry baseline degrades under churn where Bamboo does not: at the shortest sessions its mean latency is higher or its consistency lower.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const { t, get: pick } = atShortestSession(d, "2-dhts-under-churn");
      const get = (p: string, m: string) => pick("protocol.name", p, m);
      const [bl, pl, bc, pc] = [get("bamboo", "latency_mean_ms"), get("pastry", "latency_mean_ms"), get("bamboo", "consistent_fraction"), get("pastry", "consistent_fraction")];
      return verdict(mean(pl) > 1.2 * mean(bl) || mean(pc) < mean(bc) - 0.01, `at ${t} min: latency ${value(pl)} ms against Bamboo's ${value(bl)} ms; consistent ${value(pc)} against ${value(bc)}`);
    },
  },
  {
    claim: "Chord completes lookups under churn, but with higher latency than Bamboo.",
    experiment: "2-dhts-under-churn",
    check: (d) => {
      const { t, get: pick } = atShortestSession(d, "2-dhts-under-churn");
      const get = (p: string, m: string) => pick("protocol.name", p, m);
      const [cl, bl, cf] = [get("chord", "latency_mean_ms"), get("bamboo", "latency_mean_ms"), get("chord", "failed_fraction")];
      return verdict(mean(cl) > mean(bl) && mean(cf) < 0.1, `at ${t} min: Chord ${value(cl)} ms against Bamboo's ${value(bl)} ms, ${value(cf)} of Chord's lookups failed`);
    },
  },
  {
    claim: "Periodic recovery costs less maintenance bandwidth than reactive recovery at the shortest sessions.",
    experiment: "3-recovery",
    check: (d) => {
      const { t, get } = atShortestSession(d, "3-recovery");
      const [p, r] = ["periodic", "reactive"].map((rec) => get("protocol.recovery", rec, "maintenance_bytes_per_node_s"));
      return verdict(mean(p) < mean(r), `at ${t} min: periodic ${value(p)}, reactive ${value(r)} bytes/s per node`);
    },
  },
  {
    claim: "Periodic recovery's bandwidth grows less than reactive recovery's as churn rises (it stays stable).",
    experiment: "3-recovery",
    check: (d) => {
      const e = need(d["3-recovery"], "3-recovery");
      const [lo, hi] = [shortest(e), longest(e)];
      const get = (rec: string, t: number) => need(at(e, "maintenance_bytes_per_node_s", where({ "protocol.recovery": is(rec), churn: tMedIs(t) })), `${rec} at ${t} min`);
      const growth = (rec: string) => mean(get(rec, lo)) / mean(get(rec, hi));
      const [p, r] = [growth("periodic"), growth("reactive")];
      return verdict(p < r, `from ${hi} to ${lo} min: periodic ×${p.toFixed(2)}, reactive ×${r.toFixed(2)}`);
    },
  },
  {
    claim: "With limited access links, reactive recovery collapses under high churn (positive feedback) while periodic recovery stays stable: some upload rate makes reactive's latency at least twice periodic's.",
    experiment: "7c-bandwidth",
    check: (d) => {
      const e = need(d["7c-bandwidth"], "7c-bandwidth");
      const rates = [...new Set(e.rows.map((r) => r.point["network.uplink"]))].sort((a, b) => parseRate(b) - parseRate(a));
      const get = (rec: string, rate: string) => at(e, "latency_mean_ms", where({ "protocol.recovery": is(rec), "network.uplink": is(rate) }));
      for (const rate of rates) {
        const [p, r] = [get("periodic", rate), get("reactive", rate)];
        if (p === undefined || r === undefined) continue;
        if (mean(r) >= 2 * mean(p)) return verdict(true, `from ${rate} down: at ${rate} reactive ${value(r)} ms against periodic ${value(p)} ms`);
      }
      const last = rates[rates.length - 1];
      const [p, r] = [need(get("periodic", last), `periodic at ${last}`), need(get("reactive", last), `reactive at ${last}`)];
      return verdict(false, `even at ${last}: reactive ${value(r)} ms against periodic ${value(p)} ms`);
    },
  },
  {
    claim: "TCP-style timeouts give lower lookup latency than fixed 5 s timeouts under high churn.",
    experiment: "4-timeouts",
    check: (d) => {
      const { t, get } = atShortestSession(d, "4-timeouts");
      const [tcp, fixed] = ["tcp", "fixed"].map((k) => get("protocol.timeouts", k, "latency_mean_ms"));
      return verdict(mean(tcp) < mean(fixed), `at ${t} min: TCP-style ${value(tcp)} ms, fixed ${value(fixed)} ms`);
    },
  },
  {
    claim: "Virtual-coordinate timeouts do about as well as TCP-style ones (within 25% in mean latency at the shortest sessions).",
    experiment: "4-timeouts",
    check: (d) => {
      const { t, get } = atShortestSession(d, "4-timeouts");
      const [tcp, viv] = ["tcp", "vivaldi"].map((k) => get("protocol.timeouts", k, "latency_mean_ms"));
      return verdict(Math.abs(mean(viv) - mean(tcp)) <= 0.25 * mean(tcp), `at ${t} min: Vivaldi ${value(viv)} ms, TCP-style ${value(tcp)} ms`);
    },
  },
  {
    claim: "Proximity neighbour selection lowers lookup latency: the best technique is at least 10% faster than no PNS.",
    experiment: "5-pns",
    check: (d) => {
      const { rows, off } = pnsLatencies(d);
      const best = rows.reduce((a, b) => (mean(b) < mean(a) ? b : a));
      const p = parsed(best.point.protocol);
      return verdict(mean(best) <= 0.9 * mean(off), `no PNS ${value(off)} ms; best ${p.pns} (${p.pns === "global" ? p.globalTuningPeriod : p.localTuningPeriod}) ${value(best)} ms`);
    },
  },
  {
    claim: "Global sampling alone gives most of PNS's gain: at its cheapest period it recovers at least half of the best technique's latency reduction.",
    experiment: "5-pns",
    check: (d) => {
      const { rows, off } = pnsLatencies(d);
      const globals = rows.filter((r) => parsed(r.point.protocol).pns === "global");
      const cheapest = need(
        globals.reduce<(typeof globals)[number] | undefined>((a, b) => (a === undefined || periodOf(b) > periodOf(a) ? b : a), undefined),
        "5-pns: global sampling points",
      );
      const best = rows.reduce((a, b) => (mean(b) < mean(a) ? b : a));
      const gain = mean(off) - mean(best);
      const share = gain <= 0 ? 0 : (mean(off) - mean(cheapest)) / gain;
      return verdict(share >= 0.5, `no PNS ${value(off)} ms, global every ${parsed(cheapest.point.protocol).globalTuningPeriod} ${value(cheapest)} ms, best ${value(best)} ms: ${(100 * share).toFixed(0)}% of the gain`);
    },
  },
  {
    claim: "Maintenance bandwidth grows slowly with the number of nodes (logarithmically): ten times the nodes costs less than twice the bandwidth.",
    experiment: "7a-scale",
    check: (d) => {
      const e = need(d["7a-scale"], "7a-scale");
      const sizes = [...new Set(e.rows.map((r) => Number(r.point.nodes)))].sort((a, b) => a - b);
      const tMed = longest(e, "churn.tMed");
      const [small, large] = [sizes[0], sizes[sizes.length - 1]];
      need(large > small ? large : undefined, "7a-scale: two network sizes");
      const get = (n: number) => need(at(e, "maintenance_bytes_per_node_s", where({ nodes: is(String(n)), "churn.tMed": tMedIs(tMed) })), `${n} nodes`);
      const [a, b] = [get(small), get(large)];
      const ratio = mean(b) / mean(a);
      return verdict(ratio < 2, `at ${tMed} min: ${small} nodes ${value(a)}, ${large} nodes ${value(b)} bytes/s per node (×${ratio.toFixed(2)} for ×${large / small} nodes)`);
    },
  },
  {
    claim: "The conclusions survive heavy-tailed sessions: with Weibull or Pareto sessions of the same medians Bamboo still keeps at least 99% of lookups consistent.",
    experiment: "7b-session-shapes",
    check: (d) => {
      const e = need(d["7b-session-shapes"], "7b-session-shapes");
      const rows = e.rows.filter((r) => r.metric === "consistent_fraction" && r.mean !== null);
      need(rows.length > 0 ? rows : undefined, "7b-session-shapes: consistency");
      const worst = rows.reduce((a, b) => (mean(b) < mean(a) ? b : a));
      const s = parsed(worst.point["churn.sessions"]);
      return verdict(mean(worst) >= 0.99, `lowest ${value(worst)} (${s.distribution}, median ${s.median})`);
    },
  },
];

/** Experiment 5's mean latencies, one row per technique and period, and the no-PNS row among them. */
function pnsLatencies(d: Readonly<Record<string, Experiment | null>>) {
  const e = need(d["5-pns"], "5-pns");
  const rows = e.rows.filter((r) => r.metric === "latency_mean_ms" && r.mean !== null);
  const off = need(rows.find((r) => parsed(r.point.protocol).pns === "off"), "5-pns: no-PNS point");
  return { rows, off };
}

function periodOf(r: { point: Record<string, string> }): number {
  const p = parsed(r.point.protocol);
  return parseDuration(p.globalTuningPeriod);
}

/** Every claim checked against whatever experiments have results. */
export function checkClaims(data: Readonly<Record<string, Experiment | null>>): (Claim & ClaimResult)[] {
  return checkEvery(CLAIMS, data);
}
