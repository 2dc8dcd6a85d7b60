import { PROTOCOLS } from "../../protocols/index.js";
import { parseScenario } from "../scenario/load-scenario.js";
import { checkProtocolOptions } from "../scenario/protocol-options.js";
import { RunInterrupted } from "../simulation/simulation.js";
import { runToDirectory } from "./run-directory.js";
import type { FromWorker, ToWorker } from "./sweep-messages.js";

/**
 * A sweep worker: a child process that runs one scenario after another as the parent sends them, each into its
 * own directory, atomically. Ctrl-C reaches it too: the run in progress stops and writes nothing.
 */
let interrupted = false;
process.on("SIGINT", () => (interrupted = true));
process.on("SIGTERM", () => (interrupted = true));

const reply = (m: FromWorker) => process.send?.(m);

process.on("message", async (m: ToWorker) => {
  if (m.type === "exit") return process.disconnect();
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
