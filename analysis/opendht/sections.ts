import { ALGORITHM_NAMES } from "../../service/admission/admission-control.js";
import { testSetup } from "../../sim/experiments/admission/test-setups.js";
import { paired } from "../paired.js";
import type { Block } from "../usenix04/document.js";
import { percent, plain } from "../usenix04/format.js";
import { itself } from "../claim-samples.js";
import { metricHeading, metricDigits } from "../figure-labels.js";
import type { SummaryRow } from "../read-summary.js";
import { at, is, type Experiment, where } from "../usenix04/experiment-data.js";
import { ADMISSION, ALGORITHM, churnLevels, churnName, GET_LATENCY, GET_MODE, OVERUSE, PNS, pnsName, REDIR, REDIR_LEVELS, REDIR_TTL, redirLevels, redirTtls } from "./claims.js";
import { acceptedFraction, type AdmissionData, groupValues, isAdmission, isSweep, perReplicate, runsOf, type StudyData } from "./data.js";
import { type CategoryPoint, drawCategoryFigure, drawStoredFigure, type StoredPoint } from "./figures.js";
import type { AdmissionRunSummary } from "../../sim/experiments/admission/study-experiment.js";

/**
 * One experiment of the OpenDHT study: its files in `scenarios/opendht/` (an admission experiment, or sweep files
 * of simulation runs) and how the report shows their results. A later experiment is a sweep file there and an
 * entry here whose `render` draws its figures and tables from `data[file]` (a sweep's summary, read as the other
 * studies read theirs), and, for its claims, entries in claims.ts.
 */
export interface Section {
  id: string;
  title: string;
  files: string[];
  about: string;
  render: (data: StudyData, figuresDir: string, label: string) => Promise<Block[]>;
}

/** A mean with its 95% interval across seeds ("0.998 (0.997–0.999)"), the mean alone from one seed. */
function withInterval(values: Map<number, number> | undefined, f: (x: number) => string): string {
  if (values === undefined) return "–";
  const e = paired([values], itself);
  if (e.mean === null) return "–";
  return e.low === null || e.high === null ? f(e.mean) : `${f(e.mean)} (${f(e.low)}–${f(e.high)})`;
}

const algorithmsOf = (d: AdmissionData) => ALGORITHM_NAMES.filter((a) => d.runs.some((r) => r.algorithm === a));
const testsOf = (d: AdmissionData) => [...new Set(d.runs.map((r) => r.test))].sort((a, b) => a - b);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The groups' stored bytes over time under one algorithm, averaged over the seeds. */
function storedPoints(runs: readonly AdmissionRunSummary[], algorithm: string): StoredPoint[] {
  const sums = new Map<string, { group: string; hours: number; kb: number; n: number }>();
  for (const r of runs) {
    for (const s of r.series) {
      s.time_s.forEach((t, i) => {
        const key = `${s.group}\u0000${t}`;
        const x = sums.get(key) ?? { group: s.group, hours: t / 3600, kb: 0, n: 0 };
        x.kb += s.stored_bytes[i] / 1000;
        x.n++;
        sums.set(key, x);
      });
    }
  }
  return [...sums.values()].map((x) => ({ algorithm, group: x.group, hours: Math.round(x.hours * 1e6) / 1e6, kb: Math.round((x.kb / x.n) * 1000) / 1000 }));
}

async function renderAdmission(data: StudyData, dir: string, label: string): Promise<Block[]> {
  const d = data[ADMISSION];
  if (!isAdmission(d)) return [];
  const algorithms = algorithmsOf(d);
  const blocks: Block[] = [];
  for (const test of testsOf(d)) {
    const setup = testSetup(test);
    const runs = d.runs.filter((r) => r.test === test);
    const first = runs[0];
    const groups = [...new Set(first.series.map((s) => s.group))];
    const seeds = new Set(runs.map((r) => r.replicate)).size;
    blocks.push({ kind: "heading", level: 3, text: `Test ${test}: ${setup.title}` });
    blocks.push({
      kind: "paragraph",
      text: `What fssim plotted, and what a fair allocator should give: ${setup.note}. fssim ran it with ${setup.fssimAlgorithms.join(", ")}. Here: ${plural(setup.clients.length, "client")}, ${(first.durationS / 3600).toFixed(1).replace(/\.0$/, "")} h, measured from ${(first.measureFromS / 3600).toFixed(2).replace(/\.?0+$/, "")} h, ${plural(seeds, "seed")}.`,
    });
    const points = algorithms.flatMap((a) => storedPoints(runsOf(d, test, a), a));
    const figure = await drawStoredFigure(
      {
        file: `1-admission-test${test}`,
        title: `Experiment 1, test ${test}: stored bytes per client against time${label}`,
        subtitle: `lines: client groups (per client${seeds > 1 ? `, mean of ${seeds} seeds` : ""}); log-like axis`,
        algorithms,
        groups,
        points,
      },
      dir,
    );
    blocks.push({ kind: "figure", figure });
    const per = (a: string, f: (r: AdmissionRunSummary) => number) => perReplicate(d, test, a, f);
    blocks.push({
      kind: "table",
      header: ["algorithm", "Jain's index", "largest deviation from max-min", "mean deviation", "accepted / capacity"],
      rows: algorithms.map((a) => [a, withInterval(per(a, (r) => r.jain), plain(3)), withInterval(per(a, (r) => r.maxDeviation), percent), withInterval(per(a, (r) => r.meanDeviation), percent), withInterval(per(a, acceptedFraction), percent)]),
    });
  }
  return blocks;
}

/** A summary row's mean with its interval, written by `f` ("–" when absent). */
function cell(r: SummaryRow | undefined, f: (x: number) => string): string {
  if (r === undefined || r.mean === null) return "–";
  return r.low === null || r.high === null || r.n < 2 ? f(r.mean) : `${f(r.mean)} (${f(r.low)}–${f(r.high)})`;
}
const categoryPoint = (category: string, series: string, r: SummaryRow): CategoryPoint => ({ category, series, mean: r.mean as number, low: r.n >= 2 ? r.low : null, high: r.n >= 2 ? r.high : null });

/** The grid's values of a parameter that the runs have, in the grid's order. */
function gridValues(e: Experiment, param: string): string[] {
  const present = new Set(e.runs.map((r) => r.point[param]));
  return ((e.scenario.sweep?.grid?.[param] ?? []) as unknown[]).map(String).filter((v) => present.has(v));
}

const OVERUSE_METRICS = ["clients_max_min_deviation", "clients_max_min_jain", "stored_bytes_per_node"];

async function renderOveruse(data: StudyData, dir: string, label: string): Promise<Block[]> {
  const e = data[OVERUSE];
  if (!isSweep(e)) return [];
  const algorithms = gridValues(e, ALGORITHM);
  const levels = churnLevels(e);
  const groups = [...new Set(e.clientGroups.flatMap((r) => Object.keys(r.groups)))];
  const select = (algorithm: string, churn: string) => (p: Record<string, string>) => p[ALGORITHM] === algorithm && churnName(p.churn) === churn;
  const blocks: Block[] = [];
  const deviation = "clients_max_min_deviation";
  const points = levels.flatMap((churn) => algorithms.flatMap((a) => {
    const r = at(e, deviation, select(a, churn));
    return r === undefined ? [] : [categoryPoint(a, churn, r)];
  }));
  const figure = await drawCategoryFigure(
    { file: "2-overuse-deviation", title: `Experiment 2: deviation from max-min${label}`, xTitle: "admission at every root", seriesTitle: "churn", metric: deviation, categories: algorithms, series: levels, points },
    dir,
  );
  blocks.push({ kind: "figure", figure });
  for (const churn of levels) {
    blocks.push({ kind: "heading", level: 3, text: churn[0].toUpperCase() + churn.slice(1) });
    blocks.push({
      kind: "table",
      header: ["algorithm", ...groups.map((g) => `${g}: puts stored`), ...OVERUSE_METRICS.map(metricHeading)],
      rows: algorithms.map((a) => [
        a,
        ...groups.map((g) => withInterval(groupValues(e, g, "put_ok_fraction", select(a, churn)), percent)),
        cell(at(e, deviation, select(a, churn)), percent),
        cell(at(e, "clients_max_min_jain", select(a, churn)), plain(3)),
        cell(at(e, "stored_bytes_per_node", select(a, churn)), plain(metricDigits("stored_bytes_per_node"))),
      ]),
    });
  }
  return blocks;
}

const REDIR_METRICS = ["redir_correct_fraction", "redir_gets_per_lookup", "redir_ops_per_round", "redir_latency_mean_ms"];
const REDIR_FORMAT: Record<string, (x: number) => string> = { redir_correct_fraction: percent, redir_gets_per_lookup: plain(2), redir_ops_per_round: plain(2), redir_latency_mean_ms: plain(0) };

async function renderRedir(data: StudyData, dir: string, label: string): Promise<Block[]> {
  const e = data[REDIR];
  if (!isSweep(e)) return [];
  const ttls = redirTtls(e);
  const levels = redirLevels(e);
  const select = (ttl: string, n: string) => where({ [REDIR_TTL]: is(ttl), [REDIR_LEVELS]: is(n) });
  const series = (n: string) => `${n} levels`;
  const figurePoints = levels.flatMap((n) => ttls.flatMap((ttl) => {
    const r = at(e, "redir_correct_fraction", select(ttl, n));
    return r === undefined ? [] : [categoryPoint(ttl, series(n), r)];
  }));
  const figure = await drawCategoryFigure(
    { file: "3-redir-correct", title: `Experiment 3: ReDiR lookups right by TTL${label}`, xTitle: "registration TTL", seriesTitle: "ReDiR tree", metric: "redir_correct_fraction", categories: ttls, series: levels.map(series), points: figurePoints },
    dir,
  );
  return [
    { kind: "figure", figure },
    {
      kind: "table",
      header: ["levels", "TTL", ...REDIR_METRICS.map(metricHeading)],
      rows: levels.flatMap((n) => ttls.map((ttl) => [n, ttl, ...REDIR_METRICS.map((m) => cell(at(e, m, select(ttl, n)), REDIR_FORMAT[m]))])),
    },
  ];
}

const GET_LATENCY_METRICS = ["get_latency_p50_ms", "get_latency_p99_ms", "get_complete_fraction", "data_maintenance_bytes_per_node_s"];
const GET_LATENCY_FORMAT: Record<string, (x: number) => string> = { get_latency_p50_ms: plain(0), get_latency_p99_ms: plain(0), get_complete_fraction: percent, data_maintenance_bytes_per_node_s: plain(0) };

async function renderGetLatency(data: StudyData, dir: string, label: string): Promise<Block[]> {
  const e = data[GET_LATENCY];
  if (!isSweep(e)) return [];
  const modes = gridValues(e, GET_MODE);
  const pnsValues = gridValues(e, PNS);
  const levels = churnLevels(e);
  const select = (mode: string, pns: string, churn: string) => (p: Record<string, string>) => p[GET_MODE] === mode && p[PNS] === pns && churnName(p.churn) === churn;
  const series = levels.flatMap((churn) => pnsValues.map((pns) => `${churn}, ${pnsName(pns)}`));
  const median = "get_latency_p50_ms";
  const points = levels.flatMap((churn) => pnsValues.flatMap((pns) => modes.flatMap((mode) => {
    const r = at(e, median, select(mode, pns, churn));
    return r === undefined ? [] : [categoryPoint(mode, `${churn}, ${pnsName(pns)}`, r)];
  })));
  const figure = await drawCategoryFigure(
    { file: "4-get-latency-median", title: `Experiment 4: median get latency by get mode${label}`, xTitle: "how the gateway completes a get", seriesTitle: "churn, next hops", metric: median, categories: modes, series, points },
    dir,
  );
  const blocks: Block[] = [{ kind: "figure", figure }];
  for (const churn of levels) {
    blocks.push({ kind: "heading", level: 3, text: churn[0].toUpperCase() + churn.slice(1) });
    blocks.push({
      kind: "table",
      header: ["get mode", "next hops", ...GET_LATENCY_METRICS.map(metricHeading)],
      rows: modes.flatMap((mode) => pnsValues.map((pns) => [mode, pnsName(pns), ...GET_LATENCY_METRICS.map((m) => cell(at(e, m, select(mode, pns, churn)), GET_LATENCY_FORMAT[m]))])),
    });
  }
  return blocks;
}

export const SECTIONS: Section[] = [
  {
    id: "1-admission",
    title: "1. Admission on one node: fssim's tests under every algorithm",
    files: [ADMISSION],
    about:
      "One node, clients putting at their own rates and sizes and TTLs, and an admission algorithm answering each put OK, AGAIN or CAP: fssim's seven client mixes (its Test1–Test7) under fssim's six algorithms and the deployed OpenDHT root's token buckets. Fairness is judged over the measured window (the run's second half) against max-min targets: water-filling of the node's space-time capacity C (1 kB/s for 1 h, plus one 1-kB put: 3.69 MB·s per second) over what each client asks (size × TTL × its put rate). *Jain's index* is over each client's accepted space-time divided by its max-min share of what the algorithm accepted in all (1: every client in proportion to its fair share, 1/n: one client has everything); *largest* and *mean deviation* are |accepted − target| / target at capacity C, over the clients; *accepted / capacity* is the space-time accepted over C (openDht's buckets are not sized by C and may exceed it). Every algorithm's n-th seed of a test is the same seed, so all meet the same clients with the same put times.",
    render: renderAdmission,
  },
  {
    id: "2-overuse",
    title: "2. Admission at every root of a churning DHT",
    files: [OVERUSE],
    about:
      "Forty Bamboo nodes, each admitting the puts it is root for; twenty light clients (1 kB every 10 s each) and one greedy client (1 kB 80 times a second, about twice what the roots together accept) putting through gateways, with 5-minute TTLs; every algorithm of a churn level meets the same seeds, so the same churn and the same client puts. Fairness is judged as in experiment 1, but over all roots together: each client's accepted space-time against its max-min share of all the space-time the roots accepted, given what it asked (*deviation from max-min*: the largest relative gap over the clients; *Jain's index*: of accepted over share). What churn does: a root counts only the puts it accepted as root, so when churn moves a key's root to a node that has just joined, or to a neighbour, the new root knows nothing of the client's earlier commitments and admits afresh; a replaced node also comes back with an empty disk. Churn thus gives a greedy client fresh capacity to claim, and fairSpaceTime's guarantee holds per root, not over the DHT. *none* stores every put and shows what the roots hold without protection.",
    render: renderOveruse,
  },
  {
    id: "3-redir",
    title: "3. ReDiR under churn: TTL and levels",
    files: [REDIR],
    about:
      "A hundred Bamboo nodes under Kazaa churn and a hundred ReDiR members on their own clients, each staying 10 minutes on average and refreshing its registration every TTL/2; ten lookup clients look up a random key each second in turn. A lookup is right when it finds the member the oracle says is the key's successor among the members live and registered when it ends; ReDiR never removes, so a departed member's registration answers lookups until its TTL runs out (a stale answer). Swept: the registrations' TTL and the depth of the ReDiR tree (levels); every point meets the same seeds. *Gets per lookup* counts each continuation of a reply cut at OpenDHT's ≈1 kB; *operations per round* the puts and gets of one registration round.",
    render: renderRedir,
  },
  {
    id: "4-get-latency",
    title: "4. Get latency through gateways: get mode and next hops",
    files: [GET_LATENCY],
    about:
      "Three hundred Bamboo nodes store with Bamboo's replication (the root and its leaf set: 8 replicas, anti-entropy every 1–2 s); twenty clients, each through its nearest joined node as gateway, put 1 kB values with 5-minute TTLs and get stored ones, ten gets a second in all, without churn and under Kazaa churn. A get's latency runs from the client's request to the gateway's answer reaching it, so it includes the client's way to and from its gateway and, when the gateway has left, the 30-s wait before the client tries another. Swept, as the design (every point of a churn level meets the same seeds): how the gateway completes a get, the modes Bamboo's Dht.java keeps (storage.md §1.4) — *rootOnly* takes the root's answer alone; *quorum* then asks the other replicas directly and waits for min(n, n/2+1) = 5 of the 8 answers (5-s timeout); *quorumSync*, the gateway's deployed mode, counts the replicas the root has synchronised with lately as answers and asks only the rest — and the next-hop choice we model, Bamboo's proximity neighbour selection (global and local tuning) on or off. The modes' other half in Bamboo (PRS, scaled PRS with failure detection) is not modelled. For context only: OpenDHT's WORLDS'05 paper (“Fixing the Embarrassing Slowness of OpenDHT on PlanetLab”) reports delay-aware routing and moderate redundancy bringing the median get latency on PlanetLab to 51 ms and the 99th percentile to 387 ms; our latencies are synthetic (King-like, 1740 hosts), our gateways churn with the nodes, and these figures are not a target. *Complete gets* returned every value the oracle expected.",
    render: renderGetLatency,
  },
];

/** Every experiment file of the study, in the report's order. */
export const STUDY_FILES = SECTIONS.flatMap((s) => s.files);
