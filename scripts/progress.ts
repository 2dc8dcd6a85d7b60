import cliProgress from "cli-progress";

export interface Progress {
  update(simulatedMs: number, events: number): void;
  stop(): void;
}

const fmtMinutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** A span of time at a precision a person reads: seconds, minutes or hours. */
export function fmtSpan(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(2)} h`;
}

/**
 * One log line of a run's progress: the share and the simulated time actually reached (never beyond the end:
 * lookups still in progress drain after it), the wall time so far, and the wall time left at the rate so far.
 */
export function progressLine(label: string, simulatedMs: number, totalMs: number, wallMs: number, events: number): string {
  const reached = Math.min(simulatedMs, totalMs);
  const percent = Math.floor((reached / totalMs) * 100);
  const etaMs = reached > 0 ? (wallMs * (totalMs - reached)) / reached : Number.NaN;
  const rate = wallMs > 0 ? Math.round(events / (wallMs / 1000)).toLocaleString("en-US") : "0";
  return `${label}: ${percent}% (${fmtSpan(reached)} of ${fmtSpan(totalMs)} simulated, ${fmtSpan(wallMs)} wall, ETA ${Number.isNaN(etaMs) ? "unknown" : fmtSpan(etaMs)}, ${rate} events/s)`;
}

/**
 * Progress of a run: a bar with simulated time, events/s and ETA on a terminal; on anything else (CI logs, a
 * pipe) a plain line when the run enters a new tenth, so logs stay readable. Updates come every so many
 * events, so a short run may cross several tenths at once: it then gets one line, with the time it reached,
 * rather than several lines repeating it. `clock` (ms) is there for tests.
 */
export function createProgress(label: string, totalMs: number, stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): Progress {
  const started = clock();
  if (stream.isTTY) {
    const rate = (events: number) => {
      const seconds = (clock() - started) / 1000;
      return seconds > 0 ? Math.round(events / seconds) : 0;
    };
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {sim} of {total_sim} simulated | {rate} events/s | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalMs, 0, { sim: fmtMinutes(0), total_sim: fmtMinutes(totalMs), rate: 0 });
    return {
      // After the end, lookups still in progress drain; the bar stays at 100% meanwhile.
      update: (simulatedMs, events) =>
        bar.update(Math.min(simulatedMs, totalMs), { sim: fmtMinutes(Math.min(simulatedMs, totalMs)), total_sim: fmtMinutes(totalMs), rate: rate(events).toLocaleString("en-US") }),
      stop: () => bar.stop(),
    };
  }
  let printedTenth = 0;
  return {
    update: (simulatedMs, events) => {
      const tenth = Math.min(10, Math.floor((simulatedMs * 10) / totalMs));
      if (tenth <= printedTenth) return;
      printedTenth = tenth;
      stream.write(`${progressLine(label, simulatedMs, totalMs, clock() - started, events)}\n`);
    },
    stop: () => {},
  };
}
