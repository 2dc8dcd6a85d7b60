import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../sim/experiments/atomic-file.js";
import { type Block, toHtml, toMarkdown } from "../usenix04/document.js";
import { type Experiment, readExperiment } from "../usenix04/experiment-data.js";
import { asSmokeTest } from "../claim-checks.js";
import { costSection, type StudyTiming, type StudyVerdicts, tally, VERDICT_RULE } from "../usenix04/report.js";
import { checkClaims, type StudyData } from "./claims.js";
import { SECTIONS, sectionExperiments } from "./sections.js";

/** Every sweep file of the study, in the report's order. */
export const STUDY_FILES = SECTIONS.flatMap((s) => s.files);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "60 nodes, 1 seed" (or a range when files differ): what a quick figure or verdict rests on. */
function scaleOf(experiments: readonly Experiment[]): string {
  const nodes = [...new Set(experiments.map((e) => e.scenario.nodes as number))].sort((a, b) => a - b);
  const seeds = [...new Set(experiments.map((e) => e.scenario.sweep.seeds as number))].sort((a, b) => a - b);
  const range = (xs: number[]) => (xs.length === 1 ? String(xs[0]) : `${xs[0]}–${xs[xs.length - 1]}`);
  return `${range(nodes)} nodes, ${range(seeds)} seed${seeds.length === 1 && seeds[0] === 1 ? "" : "s"} per point`;
}

/**
 * `report.md` and `report.html` of the storage study in `dir`: each experiment's figures and tables, the designs'
 * promises checked against our numbers, and what the run cost on this machine.
 */
export async function writeStorageReport(dir: string, options: { quick: boolean; timing: StudyTiming; command: string }): Promise<StudyVerdicts> {
  const figuresDir = join(dir, "figures");
  mkdirSync(figuresDir, { recursive: true });
  const data: Record<string, Experiment | null> = {};
  for (const f of STUDY_FILES) data[f] = readExperiment(dir, f);
  const missing = STUDY_FILES.filter((f) => data[f] === null);
  const ran = Object.values(data).filter((e): e is Experiment => e !== null);
  const quickScale = options.quick && ran.length > 0 ? scaleOf(ran) : "";

  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `Storage under churn: Bamboo, DHash, Carbonite and push on churnsim${options.quick ? ": quick version" : ""}` },
    {
      kind: "paragraph",
      text: `Made by \`${options.command}\`. Each experiment is one sweep file per design in \`scenarios/storage/\` whose \`description\` says what it tests and whose \`sources\` say, parameter by parameter, what comes from Bamboo's DataManager (OpenDHT), MIT's DHash code, Carbonite (Chun et al., NSDI'06), Blake and Rodrigues (HotOS'03), OverSim, the USENIX'04 study, or is our assumption. Per-run results are in \`<file>/runs/\`, per-point means with 95% confidence intervals across seeds in \`<file>/summary.csv\`.`,
    },
    {
      kind: "paragraph",
      text: "Where designs are compared, they see the same churn: a run's seed derives only from the sweep's seed, the point's environment and the replicate (common random numbers), and each design's file has the same seed and grid, so the n-th replicate of a point has the same seed for every design, hence the same churn schedule (the churn process draws from its own stream of that seed). Comparisons are therefore of paired runs; the intervals shown are each design's own spread across seeds.",
    },
  ];
  if (options.quick) {
    blocks.push({
      kind: "paragraph",
      text: `**Quick version** (${quickScale}): small networks, short runs, few grid points (each sweep file's \`sweep.quick\` section), to check that everything runs. Its numbers are not the study's, and the verdicts below are those of the quick runs only: one seed gives no confidence interval, and with so few nodes and minutes a verdict can flip from one seed to the next. Run without \`--quick\` for the real thing.`,
    });
  }
  const sourcesOf = (e: Experiment) => (e.scenario.sources ?? {}) as Record<string, string>;
  const common = ran.length === 0 ? [] : Object.entries(sourcesOf(ran[0])).filter(([k, v]) => ran.every((e) => sourcesOf(e)[k] === v));
  if (common.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: "Common setup and where it comes from" });
    blocks.push({ kind: "table", header: ["parameter", "source"], rows: common.map(([k, v]) => [`\`${k}\``, v]) });
  }

  const checked = checkClaims(data as StudyData);
  const claims = options.quick ? asSmokeTest(checked) : checked;
  blocks.push({ kind: "heading", level: 2, text: options.quick ? "The designs' promises, smoke-tested on the quick runs" : "The designs' promises, checked" });
  blocks.push({
    kind: "paragraph",
    text: `The sources give few numbers for these designs, so the claims are the mechanisms' own promises, in our words, each with the experiment that tests it and our verdict with the numbers. ${VERDICT_RULE} A claim our numbers do not support is reported as such, not tuned away.${options.quick ? ` The quick runs (${quickScale}) give no verdicts: each reads *smoke test*, with the numbers it would rest on.` : ""}`,
  });
  const verdictText = (v: string) => (v === "supported" ? v : `**${v}**`);
  blocks.push({ kind: "table", header: ["claim", "experiment", "verdict", "our numbers"], rows: claims.map((c) => [c.claim, c.experiment, verdictText(c.verdict), c.evidence]) });

  for (const s of SECTIONS) {
    blocks.push({ kind: "heading", level: 2, text: s.title });
    const experiments = sectionExperiments(s, data);
    const notRun = s.files.filter((f) => data[f] === null);
    if (experiments.length === 0) {
      blocks.push({ kind: "paragraph", text: `Not run yet (no \`${s.files[0]}/summary.csv\`).` });
      continue;
    }
    const first = experiments[0].e;
    blocks.push({ kind: "paragraph", text: s.about });
    const grid = first.scenario.sweep.grid as Record<string, unknown[]>;
    const swept = Object.keys(grid).map((k) => `\`${k}\` (${plural(grid[k].length, "value")})`);
    blocks.push({
      kind: "paragraph",
      text: `Files: ${s.files.map((f) => `\`${f}\``).join(", ")}${notRun.length > 0 ? ` (not run yet: ${notRun.join(", ")})` : ""}. Swept: ${swept.join(", ")}. ${first.scenario.nodes} nodes, ${first.scenario.duration} of which ${first.scenario.warmup} warm-up, ${plural(first.scenario.sweep.seeds as number, "seed")} per point.`,
    });
    // Sources not common to the whole study: those all of this experiment's files share, then each design's own.
    const own = Object.entries(sourcesOf(first)).filter(([k]) => !common.some(([c]) => c === k));
    const shared = own.filter(([k, v]) => experiments.every(({ e }) => sourcesOf(e)[k] === v));
    const rows = shared.map(([k, v]) => [`\`${k}\``, v]);
    for (const { design, e } of experiments.length > 1 ? experiments : []) {
      for (const [k, v] of Object.entries(sourcesOf(e))) if (!common.some(([c]) => c === k) && !shared.some(([c]) => c === k)) rows.push([`\`${k}\` (${design})`, v]);
    }
    if (rows.length > 0) blocks.push({ kind: "table", header: ["parameter", "source"], rows });
    const label = options.quick ? ` (quick: ${scaleOf(experiments.map((x) => x.e))})` : "";
    blocks.push(...(await s.render(experiments, figuresDir, label)));
  }

  blocks.push(...costSection(dir, STUDY_FILES, options.timing));

  const title = "Storage under churn, on churnsim";
  writeFileAtomic(join(dir, "report.md"), toMarkdown(blocks, "figures"));
  writeFileAtomic(join(dir, "report.html"), toHtml(blocks, title, figuresDir));
  return tally(claims, missing);
}
