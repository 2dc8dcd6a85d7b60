import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { markedKind } from "./result-marker.js";

/**
 * Our temporaries' names, each carrying the pid of the process writing it: `.<name>.partial-<pid>` (a run
 * directory being written, see run-directory.ts; `.old` the result it is replacing) and `<file>.tmp-<pid>` (see
 * atomic-file.ts).
 */
const PARTIAL = /^\.(.+)\.partial-([0-9]+)(\.old)?$/;
const ATOMIC = /^.+\.tmp-([0-9]+)$/;

/**
 * Whether a process with this pid runs (EPERM: it does, but is another user's). A zombie does not: it has exited
 * and waits only for its status to be collected, as a killed sweep's workers do for a moment. Where there is no
 * /proc to tell, it counts as running.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return true;
  }
}

/**
 * Removes from `dir` the temporaries of processes that no longer run: what a crash, `kill -9` or a power loss
 * left. A live pid's are left alone (another invocation may be writing them). In a directory of ours (a sweep's,
 * a study's) the name is proof enough; beside a single run, in a directory the user owns, only partial
 * directories of that run (`name`) that carry our marker go. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string, scope: { owned: true } | { owned: false; name: string }): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(dir)) {
    const partial = PARTIAL.exec(entry);
    const atomic = scope.owned ? ATOMIC.exec(entry) : null;
    const pid = Number(partial?.[2] ?? atomic?.[1]);
    if (!Number.isSafeInteger(pid) || isRunning(pid)) continue;
    if (!scope.owned && (partial?.[1] !== scope.name || markedKind(join(dir, entry)) === null)) continue;
    rmSync(join(dir, entry), { recursive: true, force: true, maxRetries: 3 });
    removed.push(entry);
  }
  return removed;
}
