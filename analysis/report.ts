import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../sim/experiments/atomic-file.js";
import { setAtPath } from "../sim/scenario/json-path.js";
import { metricTitle, paramTitle } from "./figure-labels.js";
import { fewSeedsNote } from "./few-seeds.js";
import type { Figure } from "./figures.js";
import type { SummaryRow } from "./read-summary.js";

const HEADLINE = ["latency_mean_ms", "consistent_fraction", "failed_fraction", "maintenance_bytes_per_node_s"];

function fmt(r: SummaryRow | undefined): string {
  if (r === undefined || r.mean === null) return "–";
  const digits = Math.abs(r.mean) < 10 ? 4 : 0;
  const m = r.mean.toFixed(digits);
  return r.low === null || r.high === null ? m : `${m} (${r.low.toFixed(digits)}–${r.high.toFixed(digits)})`;
}

/** What every run shares: the base scenario with each value the grid overrides shown as swept, not as the base's. */
function withSweptMarked(scenario: Record<string, any>, swept: readonly string[]): Record<string, any> {
  const shown = structuredClone(scenario);
  for (const path of swept) setAtPath(shown, path, SWEPT);
  return shown;
}

const SWEPT = "(swept: see Grid)";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `report.md` and a self-contained `report.html` (figures inlined): the scenario, the grid, the headline table. */
export function writeReport(dir: string, params: string[], rows: SummaryRow[], figures: Figure[]): void {
  const plan = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8"));
  const scenario = plan.scenario as Record<string, any>;
  const grid = scenario.sweep.grid as Record<string, unknown[]>;
  const key = (point: Record<string, string>) => params.map((p) => point[p]).join("\u0000");
  const points = [...new Map(rows.map((r) => [key(r.point), r.point])).values()];
  const cell = (point: Record<string, string>, metric: string) => fmt(rows.find((r) => r.metric === metric && key(r.point) === key(point)));

  const base = withSweptMarked(scenario, Object.keys(grid));
  const facts: [string, string][] = [
    ["protocol", JSON.stringify(base.protocol)],
    ["nodes", String(base.nodes)],
    ["duration (warm-up)", `${base.duration} (${base.warmup})`],
    ["churn", JSON.stringify(base.churn)],
    ["network", JSON.stringify(base.network)],
    ["workload", JSON.stringify(base.workload)],
    ["runs", `${plan.runs.length} (${scenario.sweep.seeds} seeds per grid point)`],
  ];
  const note = fewSeedsNote(rows);
  const header = [...params.map(paramTitle), ...HEADLINE.map(metricTitle)];
  const table = points.map((p) => [...params.map((x) => p[x]), ...HEADLINE.map((m) => cell(p, m))]);

  const md = [
    `# ${scenario.name}: sweep report`,
    "",
    scenario.description || "",
    "",
    ...(note === undefined ? [] : [`> **Few seeds.** ${note}`, ""]),
    "## Scenario",
    "",
    "| | |",
    "|---|---|",
    ...facts.map(([k, v]) => `| ${k} | \`${v}\` |`),
    "",
    "## Grid",
    "",
    "| parameter | values |",
    "|---|---|",
    ...Object.entries(grid).map(([k, v]) => `| \`${k}\` | ${v.map((x) => `\`${typeof x === "string" ? x : JSON.stringify(x)}\``).join(", ")} |`),
    "",
    "## Headline figures",
    "",
    "Mean across seeds, with the 95% confidence interval in brackets. Every metric is in `summary.csv`, every run in `runs.csv`.",
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...table.map((r) => `| ${r.join(" | ")} |`),
    "",
    "## Figures",
    "",
    ...figures.flatMap((f) => [`![${f.title}](figures/${f.file}.png)`, ""]),
  ].join("\n");
  writeFileAtomic(join(dir, "report.md"), md);

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(scenario.name)}: sweep report</title>
<style>body{font-family:DejaVu Sans,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}code{font-size:.9em}.note{background:#fff4d6;border-left:4px solid #d9a400;padding:.5rem .8rem}</style>
</head><body>
<h1>${escape(scenario.name)}: sweep report</h1>
<p>${escape(scenario.description || "")}</p>
${note === undefined ? "" : `<p class="note"><strong>Few seeds.</strong> ${escape(note)}</p>\n`}<h2>Scenario</h2><table>${facts.map(([k, v]) => `<tr><th>${escape(k)}</th><td><code>${escape(v)}</code></td></tr>`).join("")}</table>
<h2>Grid</h2><table>${Object.entries(grid).map(([k, v]) => `<tr><th><code>${escape(k)}</code></th><td>${escape(v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", "))}</td></tr>`).join("")}</table>
<h2>Headline figures</h2><p>Mean across seeds, with the 95% confidence interval in brackets.</p>
<table><tr>${header.map((h) => `<th>${escape(h)}</th>`).join("")}</tr>${table.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join("")}</tr>`).join("")}</table>
<h2>Figures</h2>
${figures.map((f) => `<figure>${readFileSync(join(dir, "figures", `${f.file}.svg`), "utf8")}<figcaption>${escape(f.title)}</figcaption></figure>`).join("\n")}
</body></html>
`;
  writeFileAtomic(join(dir, "report.html"), html);
}
