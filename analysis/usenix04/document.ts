import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Figure } from "../figures.js";

/** A report as blocks, written out both as Markdown and as self-contained HTML (figures inlined as SVG). */
export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "table"; header: string[]; rows: string[][] }
  | { kind: "figure"; figure: Figure };

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** The little inline Markdown the report uses: `code` and **bold**. */
const inline = (s: string) => escape(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function toMarkdown(blocks: readonly Block[], figureDir: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === "heading") out.push(`${"#".repeat(b.level)} ${b.text}`);
    else if (b.kind === "paragraph") out.push(b.text);
    else if (b.kind === "figure") out.push(`![${b.figure.title}](${figureDir}/${b.figure.file}.png)`);
    else out.push([`| ${b.header.map(cell).join(" | ")} |`, `|${b.header.map(() => "---").join("|")}|`, ...b.rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n"));
    out.push("");
  }
  return out.join("\n");
}

export function toHtml(blocks: readonly Block[], title: string, figuresPath: string): string {
  const body = blocks.map((b) => {
    if (b.kind === "heading") return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    if (b.kind === "paragraph") return `<p>${inline(b.text)}</p>`;
    if (b.kind === "figure") return `<figure>${readFileSync(join(figuresPath, `${b.figure.file}.svg`), "utf8")}<figcaption>${inline(b.figure.title)}</figcaption></figure>`;
    return `<table><tr>${b.header.map((h) => `<th>${inline(h)}</th>`).join("")}</tr>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("")}</table>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:DejaVu Sans,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.45}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}code{font-size:.9em}figure{margin:1.5rem 0}</style>
</head><body>
${body.join("\n")}
</body></html>
`;
}
