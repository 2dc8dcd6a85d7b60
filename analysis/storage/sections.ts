import { parseDuration } from "../../sim/scenario/units.js";
import { metricDigits, metricHeading } from "../figure-labels.js";
import type { SummaryRow } from "../read-summary.js";
import type { Block } from "../usenix04/document.js";
import { at, churnMinutes, type Experiment } from "../usenix04/experiment-data.js";
import { drawLines, type LinePoint, linePoint } from "../usenix04/figures.js";
import { minutes, show } from "../usenix04/format.js";
import { costPoints, logLogSlope, type StudyData } from "./claims.js";
import { type BoundPoint, drawBoundFigure, drawHullFigure, type HullPoint } from "./figures.js";

/** One experiment of the storage study: its sweep files (one per design when designs are compared), drawn together. */
export interface Section {
  /** The prefix of its files' ids, e.g. `1-put-get-`; `4-anti-entropy` for a single file. */
  id: string;
  title: string;
  /** Its sweep files' ids, in the order its figures list the designs. */
  files: string[];
  /** What it shows, for the report. */
  about: string;
  render: (experiments: { design: string; e: Experiment }[], figuresDir: string, label: string) => Promise<Block[]>;
}

const DESIGN_NAMES: Record<string, string> = {
  bamboo: "Bamboo",
  dhash: "DHash",
  push: "push (OverSim)",
  carbonite: "DHash + Carbonite",
};
export const designName = (d: string) => DESIGN_NAMES[d] ?? d;

const SESSION_AXIS = "median session time (min, log scale)";
const PUT_GET_METRICS = [
  "get_complete_fraction", "get_first_try_fraction", "get_stale_fraction", "get_latency_p50_ms", "get_latency_p99_ms", "put_ok_fraction",
  "values_lost_fraction", "data_maintenance_bytes_per_node_s",
];

/** The same grid point: every swept parameter equal. */
const same = (e: Experiment, point: Record<string, string>) => (p: Record<string, string>) => e.params.every((k) => p[k] === point[k]);
const points = (e: Experiment) => [...new Map(e.rows.map((r) => [e.params.map((k) => r.point[k]).join("\u0000"), r.point])).values()];

/** Lines of `metric` against a session-time parameter, one per design; runs without churn become dashed levels. */
async function againstSessionTime(experiments: { design: string; e: Experiment }[], metric: string, param: string, file: string, title: string, dir: string): Promise<Block> {
  const linePoints: LinePoint[] = [];
  const reference: { series: string; mean: number }[] = [];
  for (const { design, e } of experiments) {
    for (const r of e.rows) {
      if (r.metric !== metric || r.mean === null) continue;
      const x = churnMinutes(r.point[param]);
      if (x === null) reference.push({ series: designName(design), mean: r.mean });
      else linePoints.push(linePoint(x, designName(design), r));
    }
  }
  const figure = await drawLines({ file, title, xTitle: SESSION_AXIS, xLog: true, metric, seriesTitle: "design", points: linePoints, reference: { label: "the same design without churn", values: reference } }, dir);
  return { kind: "figure", figure };
}

const row = (e: Experiment, point: Record<string, string>, metrics: string[]) => metrics.map((m) => show(at(e, m, same(e, point)), metricDigits(m)));

export const SECTIONS: Section[] = [
  {
    id: "1-put-get-",
    title: "1. Put/get under churn: Bamboo, DHash and push",
    files: ["1-put-get-bamboo", "1-put-get-dhash", "1-put-get-push"],
    about:
      "Puts and gets under the USENIX'04 replacement churn, for Bamboo's replicated store (on Bamboo), DHash (on Chord) and push-on-change (on Bamboo), each with 8 replicas: the share of gets returning every value the oracle expects, their latency, values lost, and the bytes each design moves to keep its copies.",
    render: async (experiments, dir, label) => {
      const blocks: Block[] = [];
      for (const metric of ["get_complete_fraction", "get_latency_p50_ms", "data_maintenance_bytes_per_node_s"]) {
        const title = `Experiment 1: ${metricHeading(metric).replace(/ \(.*\)$/, "")} against median session time${label}`;
        blocks.push(await againstSessionTime(experiments, metric, "churn", `1-put-get-${metric}`, title, dir));
      }
      const rows: string[][] = [];
      for (const { design, e } of experiments) {
        const sorted = points(e).sort((a, b) => (churnMinutes(a.churn) ?? Infinity) - (churnMinutes(b.churn) ?? Infinity));
        for (const p of sorted) {
          const x = churnMinutes(p.churn);
          rows.push([designName(design), x === null ? "no churn" : minutes(x), ...row(e, p, PUT_GET_METRICS)]);
        }
      }
      blocks.push({ kind: "table", header: ["design", "median session", ...PUT_GET_METRICS.map(metricHeading)], rows });
      return blocks;
    },
  },
  {
    id: "2-cost-",
    title: "2. The cost of keeping data, against the Blake–Rodrigues bound",
    files: ["2-cost-bamboo", "2-cost-dhash", "2-cost-push"],
    about:
      "Data-maintenance bandwidth per node (replication, anti-entropy, fetches and hand-off: the storage layer's traffic other than the puts and gets themselves) against stored bytes per node over mean session time, varied through the session time and the value size, for the three designs with 8 replicas.",
    render: async (experiments, dir, label) => {
      const bound: BoundPoint[] = [];
      const rows: string[][] = [];
      const perDesign: string[][] = [];
      for (const { design, e } of experiments) {
        const ps = costPoints(e);
        for (const p of ps) {
          const tMed = p.point["churn.tMed"];
          const size = p.point["storage.workload.valueSize"];
          bound.push({ design: designName(design), label: `${tMed}, ${size}`, bound: p.bound, cost: p.cost });
          const get = (m: string) => show(at(e, m, same(e, p.point)), m === "stored_bytes_per_node" || m === "session_time_mean_s" ? 0 : 1);
          rows.push([designName(design), tMed, size, get("stored_bytes_per_node"), get("session_time_mean_s"), p.bound.toFixed(1), p.cost.toFixed(1), `×${p.ratio.toFixed(1)}`]);
        }
        const slope = logLogSlope(ps.map((p) => ({ x: p.bound, y: p.cost })));
        const ratios = ps.map((p) => p.ratio);
        perDesign.push([
          designName(design),
          String(ps.length),
          ratios.length === 0 ? "–" : `×${Math.min(...ratios).toFixed(1)} – ×${Math.max(...ratios).toFixed(1)}`,
          slope === null ? "–" : slope.toFixed(2),
        ]);
      }
      const title = `Experiment 2: data-maintenance bandwidth against 2(S/N)/T${label}`;
      return [
        {
          kind: "paragraph",
          text: "Blake and Rodrigues (HotOS'03) bound the bandwidth any replicated store needs to keep its data: with S bytes stored over N nodes whose membership lasts T on average, each join must fetch S/N and each departure's S/N must be copied again, so each node moves at least B/N = 2(S/N)/T. Here S/N is the mean, over the metrics windows after warm-up, of the bytes live nodes actually hold (every copy, surplus copies included: what the design chose to store, not the unique data times a nominal replica count), and T is the run's measured mean session time (a node replaced by a fresh one has an empty disk, so a session is a membership lifetime). The ratio says how far above the bound a design sits; the log–log slope of cost against the bound says whether its cost scales with S/N/T (1: in proportion; 0: not at all). A design below the bound is not restoring all that departures take away: its values lost and incomplete gets in experiment 1 say what that costs.",
        },
        { kind: "figure", figure: await drawBoundFigure({ file: "2-cost-vs-bound", title, subtitle: "dashed: the bound (cost = 2(S/N)/T); labels: median session, value size", points: bound }, dir) },
        { kind: "table", header: ["design", "points", "cost ÷ bound", "log–log slope of cost against bound"], rows: perDesign },
        { kind: "table", header: ["design", "median session", "value size", "S/N (bytes)", "mean session T (s)", "bound 2(S/N)/T", "data maintenance (bytes/s per node)", "cost ÷ bound"], rows },
      ];
    },
  },
  {
    id: "3-transient-",
    title: "3. Transient against permanent failures: eager DHash and Carbonite",
    files: ["3-transient-dhash", "3-transient-carbonite"],
    about:
      "Hours of heavy-tailed sessions and downtimes (Weibull sessions, Pareto downtimes: nodes return with their disks), with a few permanent failures, for DHash with 5 replicas, eager or with Carbonite's rule: the bytes data maintenance copies and the values lost, across median downtimes.",
    render: async (experiments, dir, label) => {
      const param = "churn.downtime.median";
      const blocks: Block[] = [];
      const named = experiments.map(({ design, e }) => ({ design: design === "dhash" ? "DHash (eager)" : designName(design), e }));
      for (const metric of ["data_maintenance_bytes_per_node_s", "values_lost_fraction"]) {
        const linePoints: LinePoint[] = [];
        for (const { design, e } of named) {
          for (const r of e.rows) if (r.metric === metric && r.mean !== null) linePoints.push(linePoint(parseDuration(r.point[param]) / 60_000, design, r));
        }
        const title = `Experiment 3: ${metricHeading(metric).replace(/ \(.*\)$/, "")} against median downtime${label}`;
        blocks.push({ kind: "figure", figure: await drawLines({ file: `3-transient-${metric}`, title, xTitle: "median downtime (min, log scale)", xLog: true, metric, seriesTitle: "design", points: linePoints }, dir) });
      }
      const metrics = ["data_maintenance_bytes_per_node_s", "stored_bytes_per_node", "values_lost_fraction", "get_complete_fraction", "session_time_mean_s"];
      const rows: string[][] = [];
      for (const { design, e } of named) {
        const sorted = points(e).sort((a, b) => parseDuration(a[param]) - parseDuration(b[param]));
        for (const p of sorted) rows.push([design, p[param], ...row(e, p, metrics)]);
      }
      blocks.push({
        kind: "paragraph",
        text: "Nodes go away and come back with their disks (transient failures), and a few fail for good at set times (permanent failures: mass failures, replaced by fresh nodes). Eager DHash repairs whenever a successor lacks a key, so it re-copies data for every transient absence and deletes copies that come back outside the replica set; Carbonite repairs only while fewer than r copies are reachable, and keeps the surplus copies that returning nodes bring back. A value is lost when no node, live or away with its disk, still holds it before it expires.",
      });
      blocks.push({ kind: "table", header: ["design", "median downtime", ...metrics.map(metricHeading)], rows });
      return blocks;
    },
  },
  {
    id: "4-anti-entropy",
    title: "4. Bamboo's anti-entropy period and replica count",
    files: ["4-anti-entropy"],
    about:
      "Bamboo's store at a 2.9-minute median session over a grid of anti-entropy period × replica count: complete gets against data-maintenance bandwidth, and the hull of the trade-off.",
    render: async (experiments, dir, label) => {
      const { e } = experiments[0];
      const cost = "data_maintenance_bytes_per_node_s";
      const performance = "get_complete_fraction";
      const hull: HullPoint[] = [];
      const sorted = points(e).sort((a, b) => Number(a["storage.replicas"]) - Number(b["storage.replicas"]) || parseDuration(a["storage.maintenance"]) - parseDuration(b["storage.maintenance"]));
      const metrics = [performance, "get_first_try_fraction", "values_lost_fraction", cost, "maintenance_bytes_per_node_s"];
      const rows: string[][] = [];
      for (const p of sorted) {
        const [c, g] = [at(e, cost, same(e, p)), at(e, performance, same(e, p))] as (SummaryRow | undefined)[];
        if (c !== undefined && g !== undefined) hull.push({ label: `${p["storage.maintenance"]}, r=${p["storage.replicas"]}`, series: `${p["storage.replicas"]} replicas`, cost: c.mean as number, performance: g.mean as number });
        rows.push([p["storage.replicas"], p["storage.maintenance"], ...row(e, p, metrics)]);
      }
      return [
        {
          kind: "paragraph",
          text: `At a median session of ${minutes(churnMinutes(JSON.stringify(e.scenario.churn)) as number)}. Each point is an anti-entropy period (a session starts every period plus a uniform draw of up to one period) and a replica count; the dashed outline is the convex hull of the points, whose upper-left edge is the best completeness a given data-maintenance budget buys.`,
        },
        { kind: "figure", figure: await drawHullFigure({ file: "4-anti-entropy-hull", title: `Experiment 4: complete gets against data-maintenance bandwidth${label}`, subtitle: "labels: anti-entropy period, replicas; dashed: convex hull", points: hull, costMetric: cost, performanceMetric: performance, seriesTitle: "replicas" }, dir) },
        { kind: "table", header: ["replicas", "anti-entropy period", ...metrics.map(metricHeading)], rows },
      ];
    },
  },
];

/** The experiments a section has results for, with their designs (the last word of each file id). */
export function sectionExperiments(s: Section, data: StudyData): { design: string; e: Experiment }[] {
  return s.files.filter((f) => data[f] != null).map((f) => ({ design: f.startsWith(s.id) && f !== s.id ? f.slice(s.id.length) : f, e: data[f] as Experiment }));
}
