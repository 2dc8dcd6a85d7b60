import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runLengths } from "../../sim/experiments/admission/study-experiment.js";
import { writeFileAtomic } from "../../sim/experiments/atomic-file.js";
import { asSmokeTest } from "../claim-checks.js";
import { type Block, toHtml, toMarkdown } from "../usenix04/document.js";
import { costSection, type StudyTiming, type StudyVerdicts, tally, VERDICT_RULE } from "../usenix04/report.js";
import { checkClaims } from "./claims.js";
import { type AdmissionData, isAdmission, isSweep, readStudyExperiment, type StudyData } from "./data.js";
import { SECTIONS, STUDY_FILES } from "./sections.js";

export { STUDY_FILES } from "./sections.js";

/** Experiments still to come, each a sweep file of simulation runs in scenarios/opendht/ once written (none now). */
const LATER: string[] = [];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What an experiment ran, for the report: "49 runs: 7 tests × 7 algorithms × 5 seeds, 5h each (16h for test 2)". */
function admissionScale(d: AdmissionData): string {
  const tests = new Set(d.runs.map((r) => r.test)).size;
  const algorithms = new Set(d.runs.map((r) => r.algorithm)).size;
  const seeds = new Set(d.runs.map((r) => r.replicate)).size;
  return `${plural(d.runs.length, "run")}: ${plural(tests, "test")} × ${plural(algorithms, "algorithm")} × ${plural(seeds, "seed")}, ${runLengths(d.runs)} each`;
}

/**
 * `report.md` and `report.html` of the OpenDHT study in `dir`: each experiment's figures and tables, the claims
 * checked against our numbers, and what the run cost on this machine.
 */
export async function writeOpenDhtReport(dir: string, options: { quick: boolean; timing: StudyTiming; command: string }): Promise<StudyVerdicts> {
  const figuresDir = join(dir, "figures");
  mkdirSync(figuresDir, { recursive: true });
  const data: Record<string, StudyData[string]> = {};
  for (const f of STUDY_FILES) data[f] = readStudyExperiment(dir, f);
  const missing = STUDY_FILES.filter((f) => data[f] === null);

  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `OpenDHT as a service on churnsim${options.quick ? ": quick version" : ""}` },
    {
      kind: "paragraph",
      text: `Made by \`${options.command}\`. Each experiment is a file of \`scenarios/opendht/\` whose \`description\` says what it tests and whose \`sources\` say, setting by setting, what comes from OpenDHT's 2004 admission simulator (fssim), the deployed code (Bamboo's Dht.java, 2005), or is our assumption. Per-run results are in \`<experiment>/runs/\`.`,
    },
  ];
  if (options.quick) {
    blocks.push({
      kind: "paragraph",
      text: "**Quick version**: short runs, small networks and one seed (each experiment file's `quick` section, a sweep file's `sweep.quick`), to check that everything runs. Its numbers are not the study's: within an hour the space-time algorithms are still filling the node, a few minutes of a dozen nodes say little about a churning DHT, and one seed gives no interval. Run without `--quick` for the real thing.",
    });
  }

  const checked = checkClaims(data);
  const claims = options.quick ? asSmokeTest(checked) : checked;
  blocks.push({ kind: "heading", level: 2, text: options.quick ? "The claims, smoke-tested on the quick runs" : "The claims, checked" });
  blocks.push({
    kind: "paragraph",
    text: `No paper text with numbers was at hand, so the claims are the mechanisms' own promises, fssim's evident intent and, for the get modes, what Bamboo's code does (storage.md §1.4), in our words, with thresholds set from the mechanisms before the runs. ${VERDICT_RULE} A claim our numbers do not support is reported as such, not tuned away.${options.quick ? " The quick runs give no verdicts: each reads *smoke test*, with the numbers it would rest on." : ""}`,
  });
  const verdictText = (v: string) => (v === "supported" ? v : `**${v}**`);
  blocks.push({ kind: "table", header: ["claim", "experiment", "verdict", "our numbers"], rows: claims.map((c) => [c.claim, c.experiment, verdictText(c.verdict), c.evidence]) });

  for (const s of SECTIONS) {
    blocks.push({ kind: "heading", level: 2, text: s.title });
    const ran = s.files.filter((f) => data[f] != null);
    if (ran.length === 0) {
      blocks.push({ kind: "paragraph", text: `Not run yet (no finished \`${s.files[0]}\`).` });
      continue;
    }
    blocks.push({ kind: "paragraph", text: s.about });
    const first = data[ran[0]];
    if (isAdmission(first)) {
      blocks.push({
        kind: "paragraph",
        text: `File: \`${ran[0]}\`. ${admissionScale(first)}.${options.quick ? " Quick version." : ""} Its runs need no network and take about a second each, so they go one after another in one process whatever \`--jobs\` says.`,
      });
      const sources = Object.entries(first.spec.sources);
      if (sources.length > 0) blocks.push({ kind: "table", header: ["setting", "source"], rows: sources.map(([k, v]) => [`\`${k}\``, v]) });
    }
    if (isSweep(first)) {
      const sc = first.scenario;
      const grid = sc.sweep.grid as Record<string, unknown[]>;
      const swept = Object.keys(grid).map((k) => `\`${k}\` (${plural(grid[k].length, "value")})`);
      const runs = new Set(first.runs.map((r) => `${JSON.stringify(r.point)}\u0000${r.replicate}`)).size;
      blocks.push({
        kind: "paragraph",
        text: `File: \`${ran[0]}\`, a sweep: ${plural(runs, "run")}. Swept: ${swept.join(", ")}. ${sc.nodes} nodes, ${sc.duration} of which ${sc.warmup} warm-up, ${plural(sc.sweep.seeds as number, "seed")} per point.${options.quick ? " Quick version." : ""}`,
      });
      const sources = Object.entries((sc.sources ?? {}) as Record<string, string>);
      if (sources.length > 0) blocks.push({ kind: "table", header: ["setting", "source"], rows: sources.map(([k, v]) => [`\`${k}\``, v]) });
    }
    const label = options.quick ? " (quick)" : "";
    blocks.push(...(await s.render(data, figuresDir, label)));
  }

  if (LATER.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: "Experiments to come" });
    blocks.push({ kind: "paragraph", text: `Not run yet, to be a sweep file of simulation runs in \`scenarios/opendht/\` with its section and claims: ${LATER.join("; ")}.` });
  }

  blocks.push(...costSection(dir, STUDY_FILES, options.timing));

  writeFileAtomic(join(dir, "report.md"), toMarkdown(blocks, "figures"));
  writeFileAtomic(join(dir, "report.html"), toHtml(blocks, "OpenDHT as a service, on churnsim", figuresDir));
  return tally(claims, missing);
}
