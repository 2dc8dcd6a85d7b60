import type { ChildProcess } from "node:child_process";

/** Why a command stops early, and the exit status that says so (128 + the signal's number, as shells report it). */
export interface Interruption {
  /** "SIGINT", …, or null when the parent process disappeared. */
  signal: NodeJS.Signals | null;
  status: number;
  /** The start of the one line the command prints: "interrupted by SIGINT". */
  headline: string;
}

const STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Handled = keyof typeof STATUS;

/** How often we look whether the parent is still there; a cheap system call. */
const PARENT_POLL_MS = 500;

export interface Interrupts {
  /** Aborted at the first interruption (its reason is the Interruption): the command stops and calls exit(). */
  readonly signal: AbortSignal;
  readonly interruption: Interruption | null;
  /** Prints `line` on stderr, once, and exits with the interruption's status. */
  exit(line: string): never;
  /** From now on passes every interruption on to `child` instead, which prints the line and exits (see sim.ts). */
  relayTo(child: ChildProcess): void;
}

/**
 * Turns SIGINT, SIGTERM and SIGHUP, and the loss of the parent process, into one orderly stop. Under
 * `npm run`, npm is the parent (the scripts `exec` node): a terminal's Ctrl-C reaches both; npm forwards SIGINT
 * and SIGTERM to us (so one Ctrl-C often arrives twice) and waits, but dies at once of SIGHUP or SIGKILL, leaving
 * us running unseen with no signal at all; hence the parent is watched when npm started us. The first
 * interruption aborts `signal`: the command stops at its next chance, removes what it had half-written and calls
 * exit(). The next exits at once with the line `atOnce` gives; process 'exit' handlers remove what is
 * half-written (see run-directory.ts and run-sweep.ts).
 */
export function watchInterrupts(atOnce: (interruption: Interruption) => string): Interrupts {
  const controller = new AbortController();
  let interruption: Interruption | null = null;
  let relay: ChildProcess | null = null;
  let printed = false;
  // The terminal or the reader of a pipe may be gone: a line we cannot print must not turn into a crash.
  process.stderr.on("error", () => {});
  process.stdout.on("error", () => {});

  const exit = (line: string): never => {
    if (!printed) {
      printed = true;
      process.stderr.write(`${line}\n`);
    }
    process.exit(interruption?.status ?? 1);
  };
  const interrupt = (next: Interruption) => {
    if (relay !== null) {
      relay.kill(next.signal ?? "SIGHUP");
      return;
    }
    if (interruption !== null) exit(atOnce(interruption));
    interruption = next;
    controller.abort(next);
  };
  for (const signal of Object.keys(STATUS) as Handled[]) {
    process.on(signal, () => interrupt({ signal, status: STATUS[signal], headline: `interrupted by ${signal}` }));
  }
  if (process.env.npm_lifecycle_event !== undefined) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      interrupt({ signal: null, status: STATUS.SIGHUP, headline: "interrupted: the parent process exited" });
    }, PARENT_POLL_MS);
    watch.unref();
  }
  return {
    signal: controller.signal,
    get interruption() {
      return interruption;
    },
    exit,
    relayTo: (child) => {
      relay = child;
      if (interruption !== null) child.kill(interruption.signal ?? "SIGHUP");
    },
  };
}

/** The one line of an interrupted sweep or study: what it kept, what it removed, how to go on. */
export function interruptedRunsLine(headline: string, runs: { finished: number; of: number; removed: number } | null): string {
  if (runs === null) return `${headline} before any run started`;
  return `${headline}: ${runs.finished} of ${runs.of} runs finished and kept, ${runs.removed} in progress removed; the same command resumes`;
}
