import { constants } from "node:os";
import { PROTOCOLS } from "../../protocols/index.js";
import { parseScenario } from "../scenario/load-scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { RunInterrupted } from "../simulation/simulation.js";
import { runToDirectory } from "./run-directory.js";
import type { FromWorker, ToWorker } from "./sweep-messages.js";

/**
 * A sweep worker: a child process that runs one scenario after another as the parent sends them, each into its
 * own directory, atomically. It stops the run in progress, writing nothing, when the parent says so, when a
 * signal reaches it directly (a terminal's Ctrl-C goes to the whole process group), or when the parent is gone
 * (the IPC channel closes: the parent crashed or was killed). A second signal exits at once; the run directory's
 * exit handler still removes the temporary directory.
 */
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(128 + constants.signals[signal]);
    interrupted = true;
  });
}
// With no run in progress nothing else keeps the process alive, so it then simply ends.
process.on("disconnect", () => (interrupted = true));

const reply = (m: FromWorker) => {
  if (process.connected) process.send?.(m);
};

process.on("message", async (m: ToWorker) => {
  if (m.type === "exit") return process.disconnect();
  if (m.type === "stop") {
    interrupted = true;
    return;
  }
  try {
    const cpuBefore = process.cpuUsage();
    const scenario = parseScenario(m.document, m.file, {}, (name, options) => checkProtocolOptions(PROTOCOLS, name, options));
    const result = await runToDirectory(scenario, PROTOCOLS[scenario.protocol.name], m.dir, {
      hooks: {
        progressEvery: 100_000,
        onProgress: (_t, events) => {
          reply({ type: "progress", events });
          return interrupted;
        },
      },
    });
    const cpu = process.cpuUsage(cpuBefore);
    reply({ type: "done", summary: result.summary, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } catch (e) {
    if (e instanceof RunInterrupted) reply({ type: "interrupted" });
    else reply({ type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
