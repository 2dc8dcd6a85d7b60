import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../scenario/errors.js";

/** What a results directory holds: one run, a sweep (runs/ and their summary), or a study (several sweeps and a report). */
export type ResultKind = "run" | "sweep" | "study";

/**
 * The file every results directory carries, naming its kind. It is what lets `--force` replace a directory and a
 * sweep resume into one: nothing the user owns is deleted or written into without it (or the older shapes below).
 */
export const MARKER = ".churnsim";

const KINDS: readonly ResultKind[] = ["run", "sweep", "study"];

export function writeMarker(dir: string, kind: ResultKind): void {
  writeFileSync(join(dir, MARKER), `${JSON.stringify({ kind, note: "written by churnsim; a results directory it may replace or resume into" })}\n`);
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;
const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

/** The kind the marker in `dir` names, or null without a readable one. */
export function markedKind(dir: string): ResultKind | null {
  try {
    const { kind } = JSON.parse(readFileSync(join(dir, MARKER), "utf8"));
    return KINDS.includes(kind) ? kind : null;
  } catch {
    return null;
  }
}

/** Files a reproduction writes beside its sweeps. */
const STUDY_FILES = new Set(["report.md", "report.html", "timing.json", "figures"]);

/**
 * What `dir` recognisably is: its marker's kind, or, for directories written before the marker existed, a run
 * (`scenario.json` and `summary.json`), a sweep (`sweep.json` and `runs/`), or a study (nothing but sweeps and the
 * report's files, with at least a sweep or `timing.json`); null for anything else.
 */
export function resultKind(dir: string): ResultKind | null {
  const marked = markedKind(dir);
  if (marked !== null) return marked;
  if (isFile(join(dir, "scenario.json")) && isFile(join(dir, "summary.json"))) return "run";
  if (isFile(join(dir, "sweep.json")) && isDirectory(join(dir, "runs"))) return "sweep";
  const entries = readdirSync(dir).filter((e) => !e.startsWith("."));
  const sweeps = entries.filter((e) => isDirectory(join(dir, e)) && !STUDY_FILES.has(e) && resultKind(join(dir, e)) === "sweep");
  const onlyOurs = entries.every((e) => STUDY_FILES.has(e) || sweeps.includes(e));
  return onlyOurs && (sweeps.length > 0 || entries.includes("timing.json")) ? "study" : null;
}

/** What is at `path` before a command writes there. */
export type Found = { is: "nothing" | "file" | "empty" | "foreign" } | { is: "result"; kind: ResultKind };

export function inspect(path: string): Found {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return { is: "nothing" };
  if (!stat.isDirectory()) return { is: "file" };
  if (readdirSync(path).length === 0) return { is: "empty" };
  const kind = resultKind(path);
  return kind === null ? { is: "foreign" } : { is: "result", kind };
}

const article = (kind: ResultKind) => `a churnsim ${kind}`;

/**
 * Makes `dir` a `kind` results directory that a command resumes into (sweeps and studies): created if missing,
 * marked if empty or of the older shape, refused (exit status 2, nothing touched) if it is a file, another kind of
 * result, or a directory with anything else in it.
 */
export function claimForResume(dir: string, kind: ResultKind): void {
  const found = inspect(dir);
  if (found.is === "file") throw new InputError(dir, "is a file, not a directory; choose another --out");
  if (found.is === "foreign") {
    throw new InputError(dir, `is not empty and not ${article(kind)} directory (it has no ${MARKER} file); nothing was written: choose another --out, or an empty directory`);
  }
  if (found.is === "result" && found.kind !== kind) throw new InputError(dir, `holds ${article(found.kind)}, not ${article(kind)}; nothing was written: choose another --out`);
  if (found.is === "nothing") mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, MARKER))) writeMarker(dir, kind);
}
