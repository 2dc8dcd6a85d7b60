import { PRESETS, type PresetName } from "../../sim/scenario/session-presets.js";
import { parseDuration, parseRate } from "../../sim/scenario/units.js";
import { metricDigits, metricHeading } from "../figure-labels.js";
import type { Block } from "./document.js";
import { at, churnMinutes, type Experiment, is, parsed, where } from "./experiment-data.js";
import { drawCostCurves, drawLines, type LinePoint, linePoint } from "./figures.js";
import { estimate, minutes, show, times } from "./format.js";
import { paired, valuesAt } from "../paired.js";

/** What each experiment of the study draws and tabulates, in the report's order. */
export interface Section {
  id: string;
  title: string;
  render: (e: Experiment, figuresDir: string) => Promise<Block[]>;
}

const SESSION_AXIS = "median session time (min, log scale)";

/** "Experiment 2" for 2-dhts-under-churn, "Experiment 7b" for 7b-session-shapes: figure titles, as in a paper. */
const experimentName = (e: Experiment) => `Experiment ${e.id.split("-")[0]}`;

/**
 * Lines of `metric` against the median session time, one per value of `seriesParam`; runs without churn become
 * each series' dashed reference level.
 */
function againstSessionTime(e: Experiment, seriesParam: string, xParam: string, metric: string, name: (v: string) => string) {
  const points: LinePoint[] = [];
  const reference: { series: string; mean: number }[] = [];
  for (const r of e.rows) {
    if (r.metric !== metric || r.mean === null) continue;
    const series = name(r.point[seriesParam]);
    const x = churnMinutes(r.point[xParam]);
    if (x === null) reference.push({ series, mean: r.mean });
    else points.push(linePoint(x, series, r));
  }
  return { points, reference: { label: "the same system without churn", values: reference } };
}

async function sessionTimeFigures(e: Experiment, dir: string, seriesParam: string, seriesTitle: string, metrics: string[], name = (v: string) => v, xParam = "churn"): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const metric of metrics) {
    const { points, reference } = againstSessionTime(e, seriesParam, xParam, metric, name);
    const title = `${experimentName(e)}: ${metricHeading(metric).replace(/ \(.*\)$/, "")} against median session time`;
    blocks.push({ kind: "figure", figure: await drawLines({ file: `${e.id}-${metric}`, title, xTitle: SESSION_AXIS, xLog: true, metric, seriesTitle, points, reference }, dir) });
  }
  return blocks;
}

/** The table under a session-time figure: every series at every churn level, the given metrics. */
function sessionTimeTable(e: Experiment, seriesParam: string, seriesTitle: string, metrics: string[], name = (v: string) => v, xParam = "churn"): Block {
  const keys = new Map<string, { series: string; x: number | null; point: Record<string, string> }>();
  for (const r of e.rows) keys.set(`${r.point[seriesParam]}\u0000${r.point[xParam]}`, { series: name(r.point[seriesParam]), x: churnMinutes(r.point[xParam]), point: r.point });
  const sorted = [...keys.values()].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : (a.x ?? Infinity) - (b.x ?? Infinity)));
  const same = (point: Record<string, string>) => (p: Record<string, string>) => e.params.every((k) => p[k] === point[k]);
  return {
    kind: "table",
    header: [seriesTitle, "median session", ...metrics.map(metricHeading)],
    rows: sorted.map(({ series, x, point }) => [series, x === null ? "no churn" : minutes(x), ...metrics.map((m) => show(at(e, m, same(point)), metricDigits(m)))]),
  };
}

const protocolName = (v: string) => ({ bamboo: "Bamboo", pastry: "pastry (reactive, fixed timeouts)", chord: "Chord" })[v] ?? v;

export const SECTIONS: Section[] = [
  {
    id: "1-session-times",
    title: "1. Session times: the presets and what the churn generator produced",
    render: async (e) => {
      const n = e.scenario.nodes as number;
      const rows = Object.keys(PRESETS)
        .filter((p) => e.rows.some((r) => r.point["churn.preset"] === p))
        .map((p) => {
          const preset = PRESETS[p as PresetName];
          const w = where({ "churn.preset": is(p) });
          const expected = (n * Math.LN2) / (preset.median / 1000);
          const median = at(e, "session_time_median_s", w);
          const mean = at(e, "session_time_mean_s", w);
          return [
            p,
            preset.source,
            minutes(preset.median / 60_000),
            median ? minutes((median.mean as number) / 60) : "–",
            mean ? minutes((mean.mean as number) / 60) : "–",
            expected.toFixed(2),
            show(at(e, "departures_per_s", w), 2),
          ];
        });
      return [
        {
          kind: "paragraph",
          text: `Each preset drives the replacement process at N = ${n}: Poisson deaths at rate N·ln2/median, so sessions are exponential with the preset's median. Measured sessions are Kaplan–Meier estimates over the measured window (sessions still running at the end are censored, not dropped); "–" where fewer than half the sessions (for the mean: all of them) ended within it.`,
        },
        { kind: "table", header: ["preset", "measured in", "target median", "measured median", "measured mean", "expected departures/s", "measured departures/s"], rows },
      ];
    },
  },
  {
    id: "2-dhts-under-churn",
    title: "2. DHTs under churn: Bamboo, a reactive pastry baseline, and Chord",
    render: async (e, dir) => {
      const metrics = ["latency_mean_ms", "consistent_fraction", "failed_fraction"];
      return [
        ...(await sessionTimeFigures(e, dir, "protocol.name", "protocol", metrics.slice(0, 2), protocolName)),
        sessionTimeTable(e, "protocol.name", "protocol", metrics, protocolName),
      ];
    },
  },
  {
    id: "3-recovery",
    title: "3. Reactive against periodic recovery",
    render: async (e, dir) => {
      const metrics = ["maintenance_bytes_per_node_s", "latency_mean_ms", "consistent_fraction"];
      return [...(await sessionTimeFigures(e, dir, "protocol.recovery", "leaf-set recovery", metrics.slice(0, 2))), sessionTimeTable(e, "protocol.recovery", "leaf-set recovery", metrics)];
    },
  },
  {
    id: "4-timeouts",
    title: "4. Timeout calculation",
    render: async (e, dir) => {
      const metrics = ["latency_mean_ms", "consistent_fraction"];
      return [...(await sessionTimeFigures(e, dir, "protocol.timeouts", "timeouts", metrics.slice(0, 1))), sessionTimeTable(e, "protocol.timeouts", "timeouts", metrics)];
    },
  },
  {
    id: "5-pns",
    title: "5. Proximity neighbour selection",
    render: async (e, dir) => {
      const points: { series: string; order: number; label: string; bandwidth: number; latency: number }[] = [];
      const rows: string[][] = [];
      for (const r of e.rows) {
        if (r.metric !== "latency_mean_ms" || r.mean === null) continue;
        const p = parsed(r.point.protocol);
        const period: string = p.pns === "global" ? p.globalTuningPeriod : p.localTuningPeriod;
        const bandwidth = at(e, "maintenance_bytes_per_node_s", where({ protocol: is(r.point.protocol) }));
        if (bandwidth === undefined) continue;
        const label = p.pns === "off" ? "" : period;
        points.push({ series: p.pns, order: p.pns === "off" ? 0 : parsePeriod(period), label, bandwidth: bandwidth.mean as number, latency: r.mean });
        const off = valuesAt(e.runs, "latency_mean_ms", (q) => parsed(q.protocol)?.pns === "off");
        const self = valuesAt(e.runs, "latency_mean_ms", where({ protocol: is(r.point.protocol) }));
        const vsOff = p.pns === "off" || off === undefined || self === undefined ? "–" : estimate(paired([self, off], (a, b) => a / b), times);
        rows.push([p.pns, p.pns === "off" ? "–" : period, show(r), show(bandwidth), vsOff]);
      }
      rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : parsePeriod(a[1]) - parsePeriod(b[1])));
      const churn = minutes(churnMinutes(JSON.stringify(e.scenario.churn)) as number);
      return [
        {
          kind: "paragraph",
          text: `At a median session of ${churn}. Techniques: **global** sampling (look up random identifiers in our cells), **local** (neighbours' neighbours: a neighbour's routing-table row), **inverse** (neighbours' inverse neighbours), **recursive** (a row, then the same row from one node it named), **both** (global + local, Bamboo's default) and **all**. A period applies to every technique of a combination.`,
        },
        { kind: "figure", figure: await drawCostCurves({ file: `${e.id}-latency-vs-bandwidth`, title: `${experimentName(e)}: lookup latency against maintenance bandwidth`, points }, dir) },
        { kind: "table", header: ["technique", "tuning period", "mean lookup latency (ms)", "maintenance bandwidth (bytes/s per node)", "latency over no PNS, paired by seed"], rows },
      ];
    },
  },
  {
    id: "6-headline",
    title: "6. Headline: Bamboo at a 1.4-minute median session",
    render: async (e) => {
      const any = () => true;
      const line = (label: string, metric: string, paper: string, digits = 0): string[] => [label, show(at(e, metric, any), digits), paper];
      return [
        {
          kind: "table",
          header: ["measure", "churnsim: mean (95% interval)", "paper"],
          rows: [
            line("lookups consistent with the true owner", "consistent_fraction", "Bamboo keeps lookups consistent"),
            line("lookups agreeing with the probe majority", "majority_consistent_fraction", "–"),
            line("failed lookups", "failed_fraction", "–"),
            line("mean lookup latency (ms)", "latency_mean_ms", "–"),
            line("90th percentile latency (ms)", "latency_p90_ms", "–"),
            line("hops per lookup", "hops_mean", "–", 2),
            line("maintenance bandwidth (bytes/s per node)", "maintenance_bytes_per_node_s", "under 900"),
            line("total bandwidth (bytes/s per node)", "total_bytes_per_node_s", "–"),
          ],
        },
      ];
    },
  },
  {
    id: "7a-scale",
    title: "7a. Past the paper: network size",
    render: async (e) => {
      const metrics = ["maintenance_bytes_per_node_s", "latency_mean_ms", "consistent_fraction", "hops_mean"];
      const pointsSeen = new Map<string, Record<string, string>>();
      for (const r of e.rows) pointsSeen.set(`${r.point.nodes}\u0000${r.point["churn.tMed"]}`, r.point);
      const sorted = [...pointsSeen.values()].sort((a, b) => Number(a.nodes) - Number(b.nodes) || (churnMinutes(a["churn.tMed"]) as number) - (churnMinutes(b["churn.tMed"]) as number));
      return [
        {
          kind: "table",
          header: ["nodes", "median session", ...metrics.map(metricHeading)],
          rows: sorted.map((p) => [
            p.nodes,
            minutes(churnMinutes(p["churn.tMed"]) as number),
            ...metrics.map((m) => show(at(e, m, where({ nodes: is(p.nodes), "churn.tMed": is(p["churn.tMed"]) })), metricDigits(m))),
          ]),
        },
      ];
    },
  },
  {
    id: "7b-session-shapes",
    title: "7b. Past the paper: heavy-tailed sessions",
    render: async (e, dir) => {
      const shape = (v: string) => {
        const s = parsed(v);
        return s.distribution === "weibull" ? `Weibull k = ${s.k}` : s.distribution === "pareto" ? `Pareto α = ${s.alpha}` : s.distribution;
      };
      const metrics = ["latency_mean_ms", "consistent_fraction", "maintenance_bytes_per_node_s", "departures_per_s"];
      const x = "churn.sessions.median";
      return [
        {
          kind: "paragraph",
          text: "The same median, a different shape: heavy-tailed sessions put more of the population in long sessions, so fewer nodes leave per second (the departures column) for the same median.",
        },
        ...(await sessionTimeFigures(e, dir, "churn.sessions", "session-time distribution", metrics.slice(0, 2), shape, x)),
        sessionTimeTable(e, "churn.sessions", "session-time distribution", metrics, shape, x),
      ];
    },
  },
  {
    id: "7c-bandwidth",
    title: "7c. Past the paper: where reactive recovery collapses",
    render: async (e, dir) => {
      const uplink = { param: "network.uplink", value: (v: string) => parseRate(v) / 1000, against: "access-link upload rate", xTitle: "upload rate (kbit/s, log scale)", log: true, column: "upload rate" };
      const { figures, table, combos } = await recoveryAgainst(e, dir, uplink, ["latency_mean_ms", "maintenance_bytes_per_node_s", "consistent_fraction"]);
      return [...figures, table, ...isolatedNodes(e, combos, uplink.param, "the narrow uplink's queue")];
    },
  },
  {
    id: "7d-processing",
    title: "7d. Past the paper: a per-message processing cost",
    render: async (e, dir) => {
      const processing = { param: "network.processing", value: parseDuration, against: "processing time per message", xTitle: "processing time per received message (ms)", log: false, column: "processing per message" };
      const { figures, table, combos } = await recoveryAgainst(e, dir, processing, ["latency_mean_ms", "consistent_fraction", "maintenance_bytes_per_node_s"]);
      const why =
        "Each node handles the messages it receives one at a time, each taking the processing time, before its protocol sees them (`network.processing`). A node's load is its message rate times that time: reactive recovery sends more messages than periodic recovery at short sessions, so it reaches a full CPU first, and then queued messages time out, live neighbours are suspected, and more recovery messages follow — the paper's positive feedback, set off by the CPU instead of the link.";
      return [...figures, { kind: "paragraph", text: why }, table, ...isolatedNodes(e, combos, processing.param, "each node's queue of messages waiting to be handled")];
    },
  },
];

/** The axis of a recovery experiment past the paper: the grid parameter and how it reads as a number. */
interface RecoveryAxis {
  param: string;
  value: (v: string) => number;
  against: string;
  xTitle: string;
  log: boolean;
  column: string;
}

/**
 * Periodic against reactive recovery along one grid parameter: a figure per metric of `figureMetrics`, and a table
 * of every point (the points, ordered by recovery then the parameter, for what comes after).
 */
async function recoveryAgainst(e: Experiment, dir: string, axis: RecoveryAxis, figureMetrics: string[]) {
  const figures: Block[] = [];
  for (const metric of figureMetrics) {
    const points = e.rows.filter((r) => r.metric === metric && r.mean !== null).map((r) => linePoint(axis.value(r.point[axis.param]), r.point["protocol.recovery"], r));
    const title = `${experimentName(e)}: ${metricHeading(metric).replace(/ \(.*\)$/, "")} against ${axis.against}`;
    figures.push({ kind: "figure", figure: await drawLines({ file: `${e.id}-${metric}`, title, xTitle: axis.xTitle, xLog: axis.log, metric, seriesTitle: "leaf-set recovery", points }, dir) });
  }
  const metrics = ["latency_mean_ms", "maintenance_bytes_per_node_s", "consistent_fraction", "failed_fraction", "hops_mean"];
  const combos = [...new Map(e.rows.map((r) => [`${r.point["protocol.recovery"]}\u0000${r.point[axis.param]}`, r.point])).values()];
  combos.sort((a, b) => (a["protocol.recovery"] < b["protocol.recovery"] ? -1 : a["protocol.recovery"] > b["protocol.recovery"] ? 1 : axis.value(a[axis.param]) - axis.value(b[axis.param])));
  const cell = (p: Record<string, string>) => where({ "protocol.recovery": is(p["protocol.recovery"]), [axis.param]: is(p[axis.param]) });
  const table: Block = {
    kind: "table",
    header: ["leaf-set recovery", axis.column, ...metrics.map(metricHeading)],
    rows: combos.map((p) => [p["protocol.recovery"], p[axis.param], ...metrics.map((m) => show(at(e, m, cell(p)), metricDigits(m)))]),
  };
  return { figures, table, combos };
}

/**
 * What a collapse of consistency without failures means, said where the data shows one: lookups that end early
 * at the wrong node, answered by nodes that take themselves for the root of every key.
 */
function isolatedNodes(e: Experiment, combos: Record<string, string>[], param: string, queue: string): Block[] {
  const get = (p: Record<string, string>, m: string) => at(e, m, where({ "protocol.recovery": is(p["protocol.recovery"]), [param]: is(p[param]) }))?.mean ?? null;
  const collapsed = combos.find((p) => (get(p, "consistent_fraction") ?? 1) < 0.5 && (get(p, "failed_fraction") ?? 1) < 0.05);
  if (collapsed === undefined) return [];
  const rec = collapsed["protocol.recovery"];
  const other = combos.find((p) => p[param] === collapsed[param] && p["protocol.recovery"] !== rec);
  const hops = get(collapsed, "hops_mean");
  const otherHops = other === undefined ? null : get(other, "hops_mean");
  const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(2)}%`);
  return [
    {
      kind: "paragraph",
      text:
        `**What the collapse means.** With ${rec} recovery at ${collapsed[param]}, only ${pct(get(collapsed, "consistent_fraction"))} of lookups reach the true owner, yet ${pct(get(collapsed, "failed_fraction"))} fail: lookups do end, at the wrong node, after ${hops?.toFixed(2) ?? "–"} hops on average${otherHops === null ? "" : ` (${other?.["protocol.recovery"]} recovery at the same ${param}: ${otherHops.toFixed(2)})`}. ` +
        `Fewer hops than on a healthy ring means nodes answer for keys they do not own. The likely mechanism (consistent with the hop count; not traced node by node): recovery traffic fills ${queue}, neighbours' messages are delayed past their timeouts or lost, each is suspected dead in turn, and a node whose leaf set has emptied takes itself for the root of every key. ` +
        "Such a node is isolated, not failed: the lookup reports success with a wrong owner. That is why this collapse shows in consistency, why a failure rate alone would hide it, and why mean latency can understate it: a lookup an isolated node answers ends at once.",
    },
  ];
}

/** A tuning period in ms; the no-PNS row ("–") sorts first. */
const parsePeriod = (text: string) => (text === "–" ? 0 : parseDuration(text));
