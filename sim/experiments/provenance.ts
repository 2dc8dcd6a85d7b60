import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "./atomic-file.js";

/** Which code and machine produced some runs: one entry per invocation that finished runs in an experiment. */
export interface Provenance {
  /** The git commit of the code, or null outside a git checkout. */
  commit: string | null;
  /** Whether the checkout had uncommitted changes: then the commit alone does not reproduce the runs. */
  uncommitted: boolean;
  date: string;
  runs: number;
  machine: string;
  node: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

function git(args: string[]): string | null {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** This checkout's commit and whether it has uncommitted changes to tracked files. */
export function codeVersion(): { commit: string | null; uncommitted: boolean } {
  const commit = git(["rev-parse", "HEAD"]);
  const status = commit === null ? null : git(["status", "--porcelain", "--untracked-files=no"]);
  return { commit, uncommitted: status !== null && status !== "" };
}

export const machine = () => `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;

/** Adds this invocation to `<dir>/provenance.json` when it finished runs there. */
export function recordProvenance(dir: string, runs: number, version = codeVersion()): void {
  if (runs === 0) return;
  const file = join(dir, "provenance.json");
  const before: Provenance[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  const entry: Provenance = { ...version, date: new Date().toISOString(), runs, machine: machine(), node: process.version }; // wall-clock ok: when the runs were made, reported only
  writeFileAtomic(file, `${JSON.stringify([...before, entry], null, 2)}\n`);
}

export function readProvenance(dir: string): Provenance[] {
  const file = join(dir, "provenance.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
}
