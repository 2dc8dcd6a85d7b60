import { ALGORITHM_NAMES } from "../../service/admission/admission-control.js";
import { testSetup } from "../../sim/experiments/admission/test-setups.js";
import { paired } from "../paired.js";
import type { Block } from "../usenix04/document.js";
import { percent, plain } from "../usenix04/format.js";
import { itself } from "../claim-samples.js";
import { ADMISSION } from "./claims.js";
import { acceptedFraction, type AdmissionData, isAdmission, perReplicate, runsOf, type StudyData } from "./data.js";
import { drawStoredFigure, type StoredPoint } from "./figures.js";
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

export const SECTIONS: Section[] = [
  {
    id: "1-admission",
    title: "1. Admission on one node: fssim's tests under every algorithm",
    files: [ADMISSION],
    about:
      "One node, clients putting at their own rates and sizes and TTLs, and an admission algorithm answering each put OK, AGAIN or CAP: fssim's seven client mixes (its Test1–Test7) under fssim's six algorithms and the deployed OpenDHT root's token buckets. Fairness is judged over the measured window (the run's second half) against max-min targets: water-filling of the node's space-time capacity C (1 kB/s for 1 h, plus one 1-kB put: 3.69 MB·s per second) over what each client asks (size × TTL × its put rate). *Jain's index* is over each client's accepted space-time divided by its max-min share of what the algorithm accepted in all (1: every client in proportion to its fair share, 1/n: one client has everything); *largest* and *mean deviation* are |accepted − target| / target at capacity C, over the clients; *accepted / capacity* is the space-time accepted over C (openDht's buckets are not sized by C and may exceed it). Every algorithm's n-th seed of a test is the same seed, so all meet the same clients with the same put times.",
    render: renderAdmission,
  },
];

/** Every experiment file of the study, in the report's order. */
export const STUDY_FILES = SECTIONS.flatMap((s) => s.files);
