import cliProgress from "cli-progress";

export interface Progress {
  update(simulatedMs: number, events: number): void;
  stop(): void;
}

const fmtMinutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/**
 * Progress of a run: a bar with simulated time, events/s and ETA on a terminal; on anything else (CI logs, a
 * pipe) a plain line every tenth of the run, so logs stay readable.
 */
export function createProgress(label: string, totalMs: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const rate = (events: number) => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? Math.round(events / seconds) : 0;
  };
  if (stream.isTTY) {
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
  let nextTenth = 1;
  return {
    update: (simulatedMs, events) => {
      while (nextTenth <= 10 && simulatedMs >= (totalMs * nextTenth) / 10) {
        stream.write(`${label}: ${nextTenth * 10}% (${fmtMinutes(simulatedMs)} simulated, ${rate(events)} events/s)\n`);
        nextTenth++;
      }
    },
    stop: () => {},
  };
}
