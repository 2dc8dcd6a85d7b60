import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

/**
 * Interrupting the commands as users do, through `npm run`: a terminal's Ctrl-C (or a hangup) goes to the whole
 * process group; `timeout`, job schedulers and `kill <pid>` signal npm alone, which forwards SIGINT and SIGTERM
 * to the script and dies at once of SIGHUP. Either way nothing half-written may stay, one line must say what was
 * kept, and the exit status must say which signal it was. No timing is asserted: every wait is for an event,
 * bounded generously for a loaded machine.
 */
const root = new URL("..", import.meta.url).pathname;
const BOUND_MS = 90_000;

interface NpmRun {
  child: ChildProcess;
  stderr: () => string;
  /** npm's exit status as a shell reports it (128 + the signal's number when a signal killed it). */
  status: Promise<number>;
  /** Every process that held npm's stderr (npm, the script, its workers) has exited. */
  closed: Promise<void>;
}

const started: ChildProcess[] = [];

/** `npm run <script> -- args` leading its own process group, as a terminal's foreground job does. */
function npmRun(script: string, args: string[], env: Record<string, string> = {}): NpmRun {
  const child = spawn("npm", ["run", script, "--", ...args], { cwd: root, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
  started.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const status = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? 128 + constants.signals[signal as NodeJS.Signals])),
  );
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return { child, stderr: () => stderr, status, closed };
}

// Whatever a failed test left running in its group goes with it.
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // the group has already exited
    }
  }
});

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + BOUND_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting, after ${BOUND_MS / 1000} s, for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const bounded = <T>(what: string, promise: Promise<T>) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting for ${what}`)), BOUND_MS))]);

const partials = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((e) => e.includes(".partial-")) : []);
const interruptedLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("interrupted"));

type Target = "the process group" | "npm alone";

function send(run: NpmRun, signal: NodeJS.Signals, to: Target) {
  const pid = run.child.pid as number;
  process.kill(to === "the process group" ? -pid : pid, signal);
}

const STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
/** How the line names the cause: npm dies of SIGHUP at once, so we may see its exit before the signal. */
const HEADLINE = { SIGINT: /^interrupted by SIGINT/, SIGTERM: /^interrupted by SIGTERM/, SIGHUP: /^interrupted( by SIGHUP|: the parent process exited)/ } as const;

describe("npm run sim, interrupted", () => {
  const cases = (["SIGINT", "SIGTERM", "SIGHUP"] as const).flatMap((signal) => (["the process group", "npm alone"] as const).map((to) => [signal, to] as const));

  it.each(cases)("by %s sent to %s, leaves nothing, prints one line and exits 128 + the signal", async (signal, to) => {
    const dir = tempDir();
    // Ten simulated hours: far from done when the signal comes, however slow the machine.
    const run = npmRun("sim", ["scenarios/kazaa.json", "--nodes", "100", "--duration", "10h", "--quiet", "--out", join(dir, "run")]);
    await until("the run's temporary directory", () => partials(dir).length > 0);
    send(run, signal, to);
    await bounded("every process to exit", run.closed);
    expect(readdirSync(dir)).toEqual([]);
    const lines = interruptedLines(run.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(HEADLINE[signal]);
    expect(lines[0]).toMatch(/; no results were written$/);
    expect(await run.status).toBe(STATUS[signal]);
  }, 2 * BOUND_MS + 10_000);

  it("by Ctrl-C twice, exits at once and still leaves nothing", async () => {
    const dir = tempDir();
    const run = npmRun("sim", ["scenarios/kazaa.json", "--nodes", "100", "--duration", "10h", "--quiet", "--out", join(dir, "run")]);
    await until("the run's temporary directory", () => partials(dir).length > 0);
    send(run, "SIGINT", "the process group");
    send(run, "SIGINT", "the process group");
    await bounded("every process to exit", run.closed);
    expect(readdirSync(dir)).toEqual([]);
    expect(interruptedLines(run.stderr())).toEqual([expect.stringMatching(/^interrupted by SIGINT.*; no results were written$/)]);
    expect(await run.status).toBe(130);
  }, 2 * BOUND_MS + 10_000);

  it("in the process restarted with a larger heap, by SIGTERM sent to npm, still stops and leaves nothing", async () => {
    const dir = tempDir();
    // A heap too small for the run (npm's node-options reach the script, not npm) makes sim.ts start itself again.
    const run = npmRun("sim", ["scenarios/kazaa.json", "--nodes", "100", "--duration", "10h", "--quiet", "--out", join(dir, "run")], {
      npm_config_node_options: "--max-old-space-size=16",
    });
    await until("the run's temporary directory", () => partials(dir).length > 0);
    expect(run.stderr()).toContain("restarting with a");
    send(run, "SIGTERM", "npm alone");
    await bounded("every process to exit", run.closed);
    expect(readdirSync(dir)).toEqual([]);
    expect(interruptedLines(run.stderr())).toEqual([expect.stringMatching(/^interrupted by SIGTERM.*; no results were written$/)]);
    expect(await run.status).toBe(143);
  }, 2 * BOUND_MS + 10_000);
});

describe("npm run live, interrupted", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("by %s sent to the process group, closes every socket, leaves nothing and exits 128 + the signal", async (signal) => {
    const dir = tempDir();
    const run = npmRun("live", ["scenarios/kazaa.json", "--nodes", "30", "--duration", "10m", "--set", "joinPhase=5s", "--set", "warmup=1m", "--quiet", "--out", join(dir, "run")]);
    await until("the run's temporary directory", () => partials(dir).length > 0);
    // Let the nodes join and talk, so the interruption finds sockets and timers busy.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    send(run, signal, "the process group");
    await bounded("every process to exit", run.closed);
    expect(readdirSync(dir)).toEqual([]);
    expect(interruptedLines(run.stderr())).toEqual([expect.stringMatching(new RegExp(`^interrupted by ${signal} after [0-9.]+ s; every socket closed, no results were written$`))]);
    expect(await run.status).toBe(STATUS[signal]);
  }, 2 * BOUND_MS + 10_000);
});

describe("npm run sweep, interrupted", () => {
  /** Two runs, one at a time: a short one that finishes, then one far from done when the signal comes. */
  function twoRuns(): { file: string; out: string; runs: string } {
    const dir = tempDir();
    const file = join(dir, "two-runs.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "two-runs",
        seed: 1,
        nodes: 100,
        duration: "1m",
        warmup: "30s",
        joinPhase: "20s",
        protocol: { name: "bamboo" },
        // Runs go in the order of their ids: "duration=1m" before "duration=9h".
        sweep: { grid: { duration: ["1m", "9h"] }, seeds: 1 },
      }),
    );
    return { file, out: join(dir, "sweep"), runs: join(dir, "sweep", "runs") };
  }

  it.each([
    ["SIGINT", "the process group"],
    ["SIGTERM", "npm alone"],
    ["SIGHUP", "npm alone"],
  ] as const)("by %s sent to %s, keeps the finished run, removes the one in progress, and says so", async (signal, to) => {
    const { file, out, runs } = twoRuns();
    const run = npmRun("sweep", [file, "--out", out, "--jobs", "1"]);
    await until("the first run to finish and the second to start", () => run.stderr().includes("[1/2] done") && partials(runs).length > 0);
    send(run, signal, to);
    await bounded("every process to exit", run.closed);
    expect(partials(runs)).toEqual([]);
    expect(readdirSync(runs)).toEqual([expect.stringMatching(/^duration=1m,replicate=0-/)]);
    const lines = interruptedLines(run.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(HEADLINE[signal]);
    expect(lines[0]).toMatch(/: 1 of 2 runs finished and kept, 1 in progress removed; the same command resumes$/);
    expect(await run.status).toBe(STATUS[signal]);
  }, 2 * BOUND_MS + 10_000);
});

describe("npm run reproduce, interrupted", () => {
  it("by SIGINT sent to npm, keeps the finished runs, removes the one in progress, and writes no report", async () => {
    const out = join(tempDir(), "study");
    const runs = join(out, "5-pns", "runs");
    const run = npmRun("reproduce", ["usenix04", "--quick", "--only", "5", "--jobs", "1", "--out", out]);
    await until("a run to finish and the next to start", () => run.stderr().includes("[1/7] done") && partials(runs).length > 0);
    send(run, "SIGINT", "npm alone");
    await bounded("every process to exit", run.closed);
    expect(partials(runs)).toEqual([]);
    const kept = readdirSync(runs).length;
    expect(interruptedLines(run.stderr())).toEqual([`interrupted by SIGINT: ${kept} of 7 runs finished and kept, 1 in progress removed; the same command resumes`]);
    expect(existsSync(join(out, "report.md"))).toBe(false);
    expect(await run.status).toBe(130);
  }, 2 * BOUND_MS + 10_000);
});

describe("npm run soak, interrupted", () => {
  it("by a terminal's Ctrl-C (the group, then npm again), says how many combinations passed, once", async () => {
    const run = npmRun("soak", ["--minutes", "10", "--seed", "40"]);
    await until("a batch to pass", () => run.stderr().includes("5 combinations passed"));
    send(run, "SIGINT", "the process group");
    send(run, "SIGINT", "npm alone");
    await bounded("every process to exit", run.closed);
    expect(interruptedLines(run.stderr())).toEqual([expect.stringMatching(/^interrupted by SIGINT: \d+ combinations passed, none failed$/)]);
    expect(await run.status).toBe(130);
  }, 2 * BOUND_MS + 10_000);
});
