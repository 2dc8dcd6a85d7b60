import { parseDuration } from "../../sim/scenario/units.js";
import type { SummaryRow } from "../read-summary.js";
import { at, type Experiment, is, tMedIs, where } from "../usenix04/experiment-data.js";
import { estimate, percent, points, signed, times } from "../usenix04/format.js";
import { allOf, type Claim as ClaimOf, type ClaimResult, checkEvery, type Finding, need, side } from "../claim-checks.js";
import { difference, finding, itself, ratio, sample, sessionTimes, valuesOf } from "../claim-samples.js";
import { paired } from "../paired.js";

export type { ClaimResult, Verdict } from "../claim-checks.js";

/** The study's experiments by file id (`1-put-get-bamboo`, …); null for one not run. */
export type StudyData = Readonly<Record<string, Experiment | null>>;

/** One promise of a storage design, in our words, and how our numbers test it (its experiment: number and name). */
export type Claim = ClaimOf<StudyData>;

const mean = (r: SummaryRow) => r.mean as number;
const experiment = (d: StudyData, id: string) => need(d[id], id);

/**
 * Least-squares slope of log(y) against log(x): 1 when y is proportional to x, 0 when y ignores it. Null with fewer
 * than two distinct positive x.
 */
export function logLogSlope(points: readonly { x: number; y: number }[]): number | null {
  const ps = points.filter((p) => p.x > 0 && p.y > 0).map((p) => ({ x: Math.log(p.x), y: Math.log(p.y) }));
  if (ps.length < 2) return null;
  const mx = ps.reduce((a, p) => a + p.x, 0) / ps.length;
  const my = ps.reduce((a, p) => a + p.y, 0) / ps.length;
  const sxx = ps.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return ps.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** Experiment 2's points of one design: data-maintenance cost and the bound 2(S/N)/T, grid point by grid point. */
export function costPoints(e: Experiment): { point: Record<string, string>; cost: number; bound: number; ratio: number }[] {
  const out: { point: Record<string, string>; cost: number; bound: number; ratio: number }[] = [];
  for (const r of e.rows) {
    if (r.metric !== "data_maintenance_bytes_per_node_s" || r.mean === null) continue;
    const same = (p: Record<string, string>) => e.params.every((k) => p[k] === r.point[k]);
    const bound = at(e, "blake_rodrigues_bytes_per_node_s", same);
    if (bound === undefined || !(mean(bound) > 0)) continue;
    out.push({ point: r.point, cost: mean(r), bound: mean(bound), ratio: mean(r) / mean(bound) });
  }
  return out;
}

/** The designs of an experiment present in the data: the last word of each of its file ids. */
export function designsOf(d: StudyData, prefix: string): { design: string; e: Experiment }[] {
  return Object.entries(d)
    .filter((entry): entry is [string, Experiment] => entry[0].startsWith(prefix) && entry[1] !== null)
    .map(([id, e]) => ({ design: id.slice(prefix.length), e }));
}

/** "At least as many" and "no more" between fractions allow a tenth of a percentage point: equal designs tie. */
const TIE = 0.001;

/** Where a value that should be exactly 0 stands: every seed 0, some seed above 0 by chance, or surely above. */
function zero(values: Map<number, number>): { f: Finding; text: string } {
  const est = paired([values], itself);
  const max = Math.max(...values.values());
  return { f: max === 0 ? "supported" : side(est, "above", 0) === "supported" ? "not supported" : "inconclusive", text: estimate(est, percent) };
}

/** The designs' metric at one median session time, paired seed by seed (the designs' files share seeds). */
const atSession = (e: Experiment, metric: string, minutes: number) => sample(e, metric, where({ churn: tMedIs(minutes) }), `${minutes} min`);

export const CLAIMS: Claim[] = [
  {
    claim: "Bamboo's store loses no value at the mildest churn tested (the longest median session): no seed loses one.",
    experiment: "1 put/get under churn",
    check: (d) => {
      const e = experiment(d, "1-put-get-bamboo");
      const ts = sessionTimes(e);
      const t = ts[ts.length - 1];
      const { f, text } = zero(atSession(e, "values_lost_fraction", t));
      return finding(f, `at ${t} min: ${text} of acked values lost`);
    },
  },
  {
    claim: "Bamboo's frequent anti-entropy completes at least as many gets as DHash's 5-minute sync and push-on-change at the shortest median session (paired seed by seed, within 0.1 point).",
    experiment: "1 put/get under churn",
    check: (d) => {
      const e = experiment(d, "1-put-get-bamboo");
      const t = sessionTimes(e)[0];
      const bamboo = atSession(e, "get_complete_fraction", t);
      const parts = ["dhash", "push"].map((x) => {
        const est = paired([bamboo, atSession(experiment(d, `1-put-get-${x}`), "get_complete_fraction", t)], difference);
        return { f: side(est, "above", -TIE), text: `Bamboo minus ${x} ${estimate(est, points, "points")}` };
      });
      return finding(allOf(parts.map((p) => p.f)), `gets complete at ${t} min: ${parts.map((p) => p.text).join("; ")}`);
    },
  },
  {
    claim: "Gets complete more often as sessions lengthen: for every design, completeness at the longest median session is at least that at the shortest (within 0.1 point).",
    experiment: "1 put/get under churn",
    check: (d) => {
      const designs = designsOf(d, "1-put-get-");
      need(designs.length > 0 ? designs : undefined, "experiment 1");
      const parts = designs.map(({ design, e }) => {
        const ts = sessionTimes(e);
        const [lo, hi] = [ts[0], ts[ts.length - 1]];
        // Different churn, different seeds: replicates are paired only to keep the analysis per replicate.
        const get = (t: number) => sample(e, "get_complete_fraction", where({ churn: tMedIs(t) }), `${t} min`, "replicate");
        const est = paired([get(hi), get(lo)], difference);
        return { f: side(est, "above", -TIE), text: `${design} ${estimate(est, points, "points")} from ${lo} to ${hi} min` };
      });
      return finding(allOf(parts.map((p) => p.f)), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "The measured cost of keeping data sits above the Blake–Rodrigues bound 2(S/N)/T at every point, and grows with it (positive log–log slope of cost against the bound, for every design).",
    experiment: "2 the cost of keeping data",
    check: (d) => {
      const designs = designsOf(d, "2-cost-");
      need(designs.length > 0 ? designs : undefined, "experiment 2");
      const parts = designs.map(({ design, e }) => {
        const points_ = [...new Set(e.runs.filter((r) => r.metric === "data_maintenance_bytes_per_node_s").map((r) => JSON.stringify(r.point)))];
        need(points_.length > 0 ? points_ : undefined, `${e.id}: cost and bound`);
        const at_ = (key: string, m: string) => sample(e, m, (p) => JSON.stringify(p) === key, key, "replicate");
        // Cost over bound at each point, one interval each; and the slope within each replicate, one interval over them.
        const ratios = points_.map((key) => paired([at_(key, "data_maintenance_bytes_per_node_s"), at_(key, "blake_rodrigues_bytes_per_node_s")], ratio));
        const lowest = ratios.reduce((a, b) => ((b.mean ?? Infinity) < (a.mean ?? Infinity) ? b : a));
        const replicates = [...at_(points_[0], "data_maintenance_bytes_per_node_s").keys()];
        const slopes = new Map<number, number>();
        for (const r of replicates) {
          const slope = logLogSlope(points_.flatMap((key) => {
            const [c, b] = [at_(key, "data_maintenance_bytes_per_node_s").get(r), at_(key, "blake_rodrigues_bytes_per_node_s").get(r)];
            return c === undefined || b === undefined ? [] : [{ x: b, y: c }];
          }));
          if (slope !== null) slopes.set(r, slope);
        }
        const slope = paired([slopes], itself);
        const f = allOf([...ratios.map((x) => side(x, "above", 1)), side(slope, "above", 0)]);
        return { f, text: `${design}: lowest cost over bound ${estimate(lowest, times)}, slope ${estimate(slope, (x) => x.toFixed(2))}` };
      });
      return finding(allOf(parts.map((p) => p.f)), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "Carbonite copies fewer bytes than eager DHash for no more values lost (at every downtime tested, paired seed by seed).",
    experiment: "3 transient against permanent failures",
    check: (d) => {
      const [eager, carb] = [experiment(d, "3-transient-dhash"), experiment(d, "3-transient-carbonite")];
      const param = "churn.downtime.median";
      const downtimes = valuesOf(eager, param, parseDuration);
      const parts = downtimes.map((t) => {
        const get = (e: Experiment, m: string) => sample(e, m, where({ [param]: is(t) }), `downtime ${t}`);
        const saved = paired([get(eager, "data_maintenance_bytes_per_node_s"), get(carb, "data_maintenance_bytes_per_node_s")], difference);
        const extraLoss = paired([get(carb, "values_lost_fraction"), get(eager, "values_lost_fraction")], difference);
        return { f: allOf([side(saved, "above", 0), side(extraLoss, "below", TIE / 10)]), text: `downtime ${t}: eager minus Carbonite ${estimate(saved, signed(), "bytes/s per node")}, Carbonite's extra values lost ${estimate(extraLoss, points, "points")}` };
      });
      need(parts.length > 0 ? parts : undefined, "experiment 3");
      return finding(allOf(parts.map((p) => p.f)), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "Longer anti-entropy periods cost less and complete fewer gets: at every replica count, the longest period moves fewer data-maintenance bytes than the shortest and completes no more gets (within 0.1 point), paired seed by seed.",
    experiment: "4 anti-entropy period and replicas",
    check: (d) => {
      const e = experiment(d, "4-anti-entropy");
      const periods = valuesOf(e, "storage.maintenance", parseDuration);
      const replicas = valuesOf(e, "storage.replicas", Number);
      need(periods.length > 1 ? periods : undefined, "4-anti-entropy: two periods");
      const [short, long] = [periods[0], periods[periods.length - 1]];
      const parts = replicas.map((n) => {
        const get = (p: string, m: string) => sample(e, m, where({ "storage.maintenance": is(p), "storage.replicas": is(n) }), `${p}, ${n} replicas`);
        const saved = paired([get(short, "data_maintenance_bytes_per_node_s"), get(long, "data_maintenance_bytes_per_node_s")], difference);
        const lost = paired([get(short, "get_complete_fraction"), get(long, "get_complete_fraction")], difference);
        return { f: allOf([side(saved, "above", 0), side(lost, "above", -TIE)]), text: `${n} replicas, ${short} against ${long}: ${estimate(saved, signed(), "bytes/s per node")} and ${estimate(lost, points, "points")} of gets complete` };
      });
      return finding(allOf(parts.map((p) => p.f)), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "More replicas cost more: at every anti-entropy period, the largest replica count moves more data-maintenance bytes than the smallest, paired seed by seed.",
    experiment: "4 anti-entropy period and replicas",
    check: (d) => {
      const e = experiment(d, "4-anti-entropy");
      const periods = valuesOf(e, "storage.maintenance", parseDuration);
      const replicas = valuesOf(e, "storage.replicas", Number);
      need(replicas.length > 1 ? replicas : undefined, "4-anti-entropy: two replica counts");
      const [few, many] = [replicas[0], replicas[replicas.length - 1]];
      const parts = periods.map((p) => {
        const get = (n: string) => sample(e, "data_maintenance_bytes_per_node_s", where({ "storage.maintenance": is(p), "storage.replicas": is(n) }), `${p}, ${n} replicas`);
        const est = paired([get(many), get(few)], difference);
        return { f: side(est, "above", 0), text: `${p}: ${many} replicas minus ${few} ${estimate(est, signed(), "bytes/s per node")}` };
      });
      return finding(allOf(parts.map((p) => p.f)), parts.map((p) => p.text).join("; "));
    },
  },
];

/** Every claim checked against whatever experiments have results. */
export function checkClaims(data: StudyData): (Claim & ClaimResult)[] {
  return checkEvery(CLAIMS, data);
}
