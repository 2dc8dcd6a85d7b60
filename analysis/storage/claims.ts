import { parseDuration } from "../../sim/scenario/units.js";
import type { SummaryRow } from "../read-summary.js";
import { at, churnMinutes, type Experiment, is, where } from "../usenix04/experiment-data.js";
import { value } from "../usenix04/format.js";
import { type Claim as ClaimOf, type ClaimResult, checkEvery, need, verdict } from "../claim-checks.js";

export type { ClaimResult, Verdict } from "../claim-checks.js";

/** The study's experiments by file id (`1-put-get-bamboo`, …); null for one not run. */
export type StudyData = Readonly<Record<string, Experiment | null>>;

/** One promise of a storage design, in our words, and how our numbers test it (its experiment: number and name). */
export type Claim = ClaimOf<StudyData>;

const mean = (r: SummaryRow) => r.mean as number;
const experiment = (d: StudyData, id: string) => need(d[id], id);

/** Median session times (minutes) measured in an experiment's `param` column, runs without churn left out. */
function sessionTimes(e: Experiment, param = "churn"): number[] {
  const xs = [...new Set(e.rows.map((r) => churnMinutes(r.point[param])).filter((x): x is number => x !== null))].sort((a, b) => a - b);
  return need(xs.length > 0 ? xs : undefined, `${e.id}: no run with churn`);
}

const tMedIs = (minutes: number) => (v: string) => churnMinutes(v) === minutes;

/** The metric at a median session time, for experiments whose grid is `churn` alone. */
function atSession(e: Experiment, metric: string, minutes: number, param = "churn"): SummaryRow {
  return need(at(e, metric, where({ [param]: tMedIs(minutes) })), `${e.id}: ${metric} at ${minutes} min`);
}

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

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export const CLAIMS: Claim[] = [
  {
    claim: "Bamboo's store loses no value at the mildest churn tested (the longest median session).",
    experiment: "1 put/get under churn",
    check: (d) => {
      const e = experiment(d, "1-put-get-bamboo");
      const t = Math.max(...sessionTimes(e));
      const lost = atSession(e, "values_lost_fraction", t);
      return verdict(mean(lost) === 0, `at ${t} min: ${value(lost)} of acked values lost`);
    },
  },
  {
    claim: "Bamboo's frequent anti-entropy completes at least as many gets as DHash's 5-minute sync and push-on-change at the shortest median session.",
    experiment: "1 put/get under churn",
    check: (d) => {
      const e = experiment(d, "1-put-get-bamboo");
      const t = Math.min(...sessionTimes(e));
      const b = atSession(e, "get_complete_fraction", t);
      const others = ["dhash", "push"].map((x) => ({ x, r: atSession(experiment(d, `1-put-get-${x}`), "get_complete_fraction", t) }));
      const ok = others.every((o) => mean(b) >= mean(o.r));
      return verdict(ok, `at ${t} min: Bamboo ${value(b)}, ${others.map((o) => `${o.x} ${value(o.r)}`).join(", ")} of gets complete`);
    },
  },
  {
    claim: "Gets complete more often as sessions lengthen: for every design, completeness at the longest median session is at least that at the shortest.",
    experiment: "1 put/get under churn",
    check: (d) => {
      const designs = designsOf(d, "1-put-get-");
      need(designs.length > 0 ? designs : undefined, "experiment 1");
      const parts = designs.map(({ design, e }) => {
        const ts = sessionTimes(e);
        const [lo, hi] = [atSession(e, "get_complete_fraction", ts[0]), atSession(e, "get_complete_fraction", ts[ts.length - 1])];
        return { ok: mean(hi) >= mean(lo), text: `${design} ${value(lo)} at ${ts[0]} min, ${value(hi)} at ${ts[ts.length - 1]} min` };
      });
      return verdict(parts.every((p) => p.ok), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "The measured cost of keeping data sits above the Blake–Rodrigues bound 2(S/N)/T at every point, and grows with it (positive log–log slope of cost against the bound, for every design).",
    experiment: "2 the cost of keeping data",
    check: (d) => {
      const designs = designsOf(d, "2-cost-");
      need(designs.length > 0 ? designs : undefined, "experiment 2");
      const parts = designs.map(({ design, e }) => {
        const ps = costPoints(e);
        need(ps.length > 0 ? ps : undefined, `${e.id}: cost and bound`);
        const slope = logLogSlope(ps.map((p) => ({ x: p.bound, y: p.cost })));
        const [lo, hi] = [Math.min(...ps.map((p) => p.ratio)), Math.max(...ps.map((p) => p.ratio))];
        return { ok: lo >= 1 && slope !== null && slope > 0, text: `${design} ×${lo.toFixed(1)}–×${hi.toFixed(1)} the bound, slope ${slope === null ? "–" : slope.toFixed(2)}` };
      });
      return verdict(parts.every((p) => p.ok), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "Carbonite copies fewer bytes than eager DHash for no more values lost (at every downtime tested).",
    experiment: "3 transient against permanent failures",
    check: (d) => {
      const [eager, carb] = [experiment(d, "3-transient-dhash"), experiment(d, "3-transient-carbonite")];
      const param = "churn.downtime.median";
      const downtimes = [...new Set(eager.rows.map((r) => r.point[param]))].sort((a, b) => parseDuration(a) - parseDuration(b));
      const parts = downtimes.map((t) => {
        const get = (e: Experiment, m: string) => need(at(e, m, where({ [param]: is(t) })), `${e.id}: ${m} at downtime ${t}`);
        const [be, bc] = [get(eager, "data_maintenance_bytes_per_node_s"), get(carb, "data_maintenance_bytes_per_node_s")];
        const [le, lc] = [get(eager, "values_lost_fraction"), get(carb, "values_lost_fraction")];
        return { ok: mean(bc) < mean(be) && mean(lc) <= mean(le), text: `downtime ${t}: Carbonite ${value(bc)} against eager ${value(be)} bytes/s per node, ${pct(mean(lc))} against ${pct(mean(le))} lost` };
      });
      need(parts.length > 0 ? parts : undefined, "experiment 3");
      return verdict(parts.every((p) => p.ok), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "Longer anti-entropy periods cost less and complete fewer gets: at every replica count, the longest period moves fewer data-maintenance bytes than the shortest and completes no more gets.",
    experiment: "4 anti-entropy period and replicas",
    check: (d) => {
      const e = experiment(d, "4-anti-entropy");
      const periods = [...new Set(e.rows.map((r) => r.point["storage.maintenance"]))].sort((a, b) => parseDuration(a) - parseDuration(b));
      const replicas = [...new Set(e.rows.map((r) => r.point["storage.replicas"]))].sort((a, b) => Number(a) - Number(b));
      need(periods.length > 1 ? periods : undefined, "4-anti-entropy: two periods");
      const [short, long] = [periods[0], periods[periods.length - 1]];
      const parts = replicas.map((n) => {
        const get = (p: string, m: string) => need(at(e, m, where({ "storage.maintenance": is(p), "storage.replicas": is(n) })), `${m} at ${p}, ${n} replicas`);
        const [cs, cl] = [get(short, "data_maintenance_bytes_per_node_s"), get(long, "data_maintenance_bytes_per_node_s")];
        const [gs, gl] = [get(short, "get_complete_fraction"), get(long, "get_complete_fraction")];
        return { ok: mean(cl) < mean(cs) && mean(gl) <= mean(gs), text: `${n} replicas: ${short} ${value(cs)} bytes/s per node and ${value(gs)} complete, ${long} ${value(cl)} and ${value(gl)}` };
      });
      return verdict(parts.every((p) => p.ok), parts.map((p) => p.text).join("; "));
    },
  },
  {
    claim: "More replicas cost more: at every anti-entropy period, the largest replica count moves more data-maintenance bytes than the smallest.",
    experiment: "4 anti-entropy period and replicas",
    check: (d) => {
      const e = experiment(d, "4-anti-entropy");
      const periods = [...new Set(e.rows.map((r) => r.point["storage.maintenance"]))].sort((a, b) => parseDuration(a) - parseDuration(b));
      const replicas = [...new Set(e.rows.map((r) => r.point["storage.replicas"]))].sort((a, b) => Number(a) - Number(b));
      need(replicas.length > 1 ? replicas : undefined, "4-anti-entropy: two replica counts");
      const [few, many] = [replicas[0], replicas[replicas.length - 1]];
      const parts = periods.map((p) => {
        const get = (n: string) => need(at(e, "data_maintenance_bytes_per_node_s", where({ "storage.maintenance": is(p), "storage.replicas": is(n) })), `cost at ${p}, ${n} replicas`);
        const [a, b] = [get(few), get(many)];
        return { ok: mean(b) > mean(a), text: `${p}: ${few} replicas ${value(a)}, ${many} replicas ${value(b)} bytes/s per node` };
      });
      return verdict(parts.every((p) => p.ok), parts.map((p) => p.text).join("; "));
    },
  },
];

/** Every claim checked against whatever experiments have results. */
export function checkClaims(data: StudyData): (Claim & ClaimResult)[] {
  return checkEvery(CLAIMS, data);
}
