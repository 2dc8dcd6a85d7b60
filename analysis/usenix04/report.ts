import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../sim/experiments/atomic-file.js";
import { type Provenance, readProvenance } from "../../sim/experiments/provenance.js";
import { asSmokeTest } from "../claim-checks.js";
import { checkClaims } from "./claims.js";
import { differencesFromPaper } from "./differences.js";
import { type Block, toHtml, toMarkdown } from "./document.js";
import { type Experiment, readExperiment } from "./experiment-data.js";
import { SECTIONS } from "./sections.js";

export interface StudyTiming {
  /** Wall time of every invocation that worked on this directory, summed. */
  wallSeconds: number;
  invocations: number;
}

/** The simulation time the runs themselves report (wall_s in each summary.json), summed over an experiment. */
export function runSeconds(dir: string): { runs: number; seconds: number } {
  const runsDir = join(dir, "runs");
  if (!existsSync(runsDir)) return { runs: 0, seconds: 0 };
  let runs = 0;
  let seconds = 0;
  for (const name of readdirSync(runsDir)) {
    const file = join(runsDir, name, "summary.json");
    if (!existsSync(file)) continue;
    runs++;
    seconds += JSON.parse(readFileSync(file, "utf8")).wall_s ?? 0;
  }
  return { runs, seconds };
}

/** How verdicts are reached, for every study's report. */
export const VERDICT_RULE =
  "Verdicts come from 95% Student-t intervals across seeds — of per-seed paired differences or ratios where designs are compared, since compared designs share their seeds and so their churn: *supported* when the interval lies on the claimed side of the threshold, *not supported* when it lies on the other side, *inconclusive* when it straddles it (or rests on one seed).";

/** What a run of a study found, for the command's last line. */
export interface StudyVerdicts {
  claims: number;
  supported: number;
  notSupported: number;
  inconclusive: number;
  /** Quick runs: no verdicts, only smoke tests. */
  smokeTests: number;
  missing: string[];
}

export function tally(claims: readonly { verdict: string }[], missing: string[]): StudyVerdicts {
  const count = (v: string) => claims.filter((c) => c.verdict === v).length;
  return { claims: claims.length, supported: count("supported"), notSupported: count("not supported"), inconclusive: count("inconclusive"), smokeTests: count("smoke test"), missing };
}

/** What an experiment ran: "1000 nodes, 30m (10m warm-up), 5 seeds per point", from its scenario as run. */
export function asRun(e: Experiment | null | undefined): string {
  if (e == null) return "not run";
  const grid = (e.scenario.sweep?.grid ?? {}) as Record<string, unknown[]>;
  const nodes = grid.nodes !== undefined ? `${grid.nodes.join(" and ")} nodes` : `${e.scenario.nodes} nodes`;
  const seeds = e.scenario.sweep?.seeds as number;
  return `${nodes}, ${e.scenario.duration} (${e.scenario.warmup} warm-up), ${seeds} seed${seeds === 1 ? "" : "s"} per point`;
}

/**
 * What the runs cost and where they come from: the study's wall time, each experiment's runs with their summed
 * simulation time, the commit(s) and machine(s) that ran them (from each experiment's provenance.json, so a report
 * rebuilt elsewhere from the same results says the same).
 */
export function costSection(dir: string, ids: readonly string[], timing: StudyTiming): Block[] {
  const costs = ids.map((id) => ({ id, ...runSeconds(join(dir, id)), provenance: readProvenance(join(dir, id)) }));
  const machines = [...new Set(costs.flatMap((c) => c.provenance.map((p) => `${p.machine}, Node ${p.node}`)))];
  const commits = (ps: Provenance[]) =>
    [...new Set(ps.map((p) => (p.commit === null ? "unknown" : `${p.commit.slice(0, 10)}${p.uncommitted ? " with uncommitted changes" : ""}`)))].join(", ") || "–";
  const dates = (ps: Provenance[]) => [...new Set(ps.map((p) => p.date.slice(0, 10)))].join(", ") || "–";
  return [
    { kind: "heading", level: 2, text: "What it cost" },
    {
      kind: "paragraph",
      text: `Wall time: **${hours(timing.wallSeconds)}** over ${timing.invocations} invocation(s)${machines.length > 0 ? ` on ${machines.join("; ")}` : ""}. The runs' own simulation times add up to ${hours(costs.reduce((a, c) => a + c.seconds, 0))} (runs go in parallel, one per core). Each experiment's runs came from the commit(s) listed.`,
    },
    { kind: "table", header: ["experiment", "runs", "simulation time", "commit", "run on"], rows: costs.map((c) => [c.id, String(c.runs), hours(c.seconds), commits(c.provenance), dates(c.provenance)]) },
  ];
}

const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

/**
 * `report.md` and `report.html` of the USENIX'04 reproduction in `dir`: every experiment's figures and tables,
 * the paper's claims checked against our numbers, and what the run cost on this machine.
 */
export async function writeUsenix04Report(dir: string, options: { quick: boolean; timing: StudyTiming; command: string }): Promise<StudyVerdicts> {
  const figuresDir = join(dir, "figures");
  mkdirSync(figuresDir, { recursive: true });
  const data: Record<string, Experiment | null> = {};
  for (const s of SECTIONS) data[s.id] = readExperiment(dir, s.id);
  const missing = SECTIONS.filter((s) => data[s.id] === null).map((s) => s.id);

  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `Handling Churn in a DHT (USENIX ATC 2004), re-run on churnsim${options.quick ? ": quick version" : ""}` },
    {
      kind: "paragraph",
      text: `Made by \`${options.command}\`. Each experiment is a sweep file in \`scenarios/usenix04/\` whose \`description\` says what it tests and whose \`sources\` say, parameter by parameter, what comes from the paper, from Bamboo's source, or is our assumption. Per-run results are in \`<experiment>/runs/\`, per-point means with 95% confidence intervals across seeds in \`<experiment>/summary.csv\`.`,
    },
  ];
  if (options.quick) {
    blocks.push({
      kind: "paragraph",
      text: "**Quick version — a smoke test, not the study.** Fewer nodes, shorter runs, fewer grid points and one seed per point (each sweep file's `sweep.quick` section), to check that everything runs. Its numbers are not the study's: one seed gives no confidence interval, so no claim gets a verdict (each reads *smoke test*), and small networks route in fewer hops. Run without `--quick` for the real thing.",
    });
  }
  // The sources every experiment states alike are the common setup; the rest appear in each experiment's section.
  const ran = Object.values(data).filter((e): e is Experiment => e !== null);
  const sourcesOf = (e: Experiment) => (e.scenario.sources ?? {}) as Record<string, string>;
  const common = ran.length === 0 ? [] : Object.entries(sourcesOf(ran[0])).filter(([k, v]) => ran.every((e) => sourcesOf(e)[k] === v));
  if (common.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: "Common setup and where it comes from" });
    blocks.push({ kind: "table", header: ["parameter", "source"], rows: common.map(([k, v]) => [`\`${k}\``, v]) });
  }

  const checked = checkClaims(data);
  const claims = options.quick ? asSmokeTest(checked) : checked;
  blocks.push({ kind: "heading", level: 2, text: options.quick ? "The paper's claims, smoke-tested" : "The paper's claims, checked" });
  blocks.push({
    kind: "paragraph",
    text: `Each claim in our words, the experiment that tests it and what it ran, and our verdict with the numbers. ${VERDICT_RULE} A claim our numbers do not support is reported as such, not tuned away; where we know a reason, the experiment's section says it.`,
  });
  blocks.push({ kind: "table", header: ["claim", "experiment", "as run", "verdict", "our numbers"], rows: claims.map((c) => [c.claim, c.experiment, asRun(data[c.experiment]), c.verdict === "supported" ? "supported" : `**${c.verdict}**`, c.evidence]) });

  blocks.push(...differencesFromPaper(data));

  for (const s of SECTIONS) {
    blocks.push({ kind: "heading", level: 2, text: s.title });
    const e = data[s.id];
    if (e === null) {
      blocks.push({ kind: "paragraph", text: `Not run yet (no \`${s.id}/summary.csv\`).` });
      continue;
    }
    blocks.push({ kind: "paragraph", text: e.scenario.description as string });
    const grid = e.scenario.sweep.grid as Record<string, unknown[]>;
    const sources = (e.scenario.sources ?? {}) as Record<string, string>;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    const swept = Object.keys(grid).map((k) => `\`${k}\` (${plural(grid[k].length, "value")})`);
    const seeds = e.scenario.sweep.seeds as number;
    blocks.push({ kind: "paragraph", text: `Swept: ${swept.join(", ")}. ${e.scenario.nodes} nodes, ${e.scenario.duration} of which ${e.scenario.warmup} warm-up, ${plural(seeds, "seed")} per point.` });
    const own = Object.entries(sources).filter(([k]) => !common.some(([c]) => c === k));
    if (own.length > 0) blocks.push({ kind: "table", header: ["parameter", "source"], rows: own.map(([k, v]) => [`\`${k}\``, v]) });
    blocks.push(...(await s.render(e, figuresDir)));
  }

  blocks.push(...costSection(dir, SECTIONS.map((s) => s.id), options.timing));

  const title = "Handling Churn in a DHT, re-run on churnsim";
  writeFileAtomic(join(dir, "report.md"), toMarkdown(blocks, "figures"));
  writeFileAtomic(join(dir, "report.html"), toHtml(blocks, title, figuresDir));
  return tally(claims, missing);
}
