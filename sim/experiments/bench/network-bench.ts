import { Invariants } from "../../engine/invariants.js";
import { Scheduler } from "../../engine/scheduler.js";
import { SeededRandom } from "../../engine/seeded-random.js";
import { SimNode } from "../../engine/sim-node.js";
import { syntheticKing } from "../../network/latency/index.js";
import { Network } from "../../network/network.js";
import { Traffic } from "../../network/traffic.js";
import type { ProtocolNode } from "../../runtime/node-runtime.js";

/**
 * Message delivery throughput of the network layer alone: `nodes` nodes on the synthetic King model, with
 * `inFlight` messages bouncing between random nodes (each delivery sends one message on), through limited
 * uplinks so that queueing is exercised too.
 */
export function benchNetwork(opts: { nodes?: number; inFlight?: number; messages?: number } = {}): {
  messagesPerSecond: number;
  messages: number;
  seconds: number;
} {
  const n = opts.nodes ?? 1000;
  const inFlight = opts.inFlight ?? 100_000;
  const total = opts.messages ?? 3_000_000;
  const scheduler = new Scheduler();
  const traffic = new Traffic();
  const rng = SeededRandom.root(1);
  const latency = syntheticKing(1740, rng.fork("latency"));
  const nodes: SimNode[] = [];
  const category = traffic.category("liveness");
  let delivered = 0;
  // Links fast enough that the offered load does not overflow the queues: the bench measures work, not drops.
  const network = new Network(scheduler, latency, nodes, traffic, { uplinkBps: 1e9, downlinkBps: 0, queueBytes: 1 << 20, lossRate: 0, processingUs: 0 }, rng.fork("network"), new Invariants(false, 1));
  for (let i = 0; i < n; i++) {
    const node = new SimNode(i, `bench-${i}`, i.toString(16).padStart(40, "0"), rng.int(1740), 1000); // 1 ms access delay
    node.alive = true;
    const protocol: ProtocolNode = {
      join() {},
      lookup() {},
      receive: (_from, message) => {
        delivered++;
        // The message carries an LCG state that picks its next destination: no allocation, no Math.random.
        const next = ((message as number) * 1103515245 + 12345) >>> 0;
        network.send(node, next % n, next, 44, category);
      },
    };
    node.protocol = protocol;
    nodes.push(node);
  }
  let seed = 12345;
  for (let i = 0; i < inFlight; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    network.send(nodes[i % n], seed % n, seed, 44, category);
  }
  const warm = Math.min(total / 10, 300_000);
  while (delivered < warm) scheduler.step();
  const start = performance.now(); // wall-clock ok: the bench times the simulator
  const from = delivered;
  while (delivered - from < total) scheduler.step();
  const seconds = (performance.now() - start) / 1000; // wall-clock ok
  return { messagesPerSecond: (delivered - from) / seconds, messages: delivered - from, seconds };
}
