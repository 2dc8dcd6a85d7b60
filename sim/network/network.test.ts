import { describe, expect, it } from "vitest";
import { Invariants } from "../engine/invariants.js";
import { Scheduler } from "../engine/scheduler.js";
import { SeededRandom } from "../engine/seeded-random.js";
import { SimNode } from "../engine/sim-node.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { ProtocolNode } from "../runtime/node-runtime.js";
import type { LinkOptions } from "../scenario/scenario.js";
import type { LatencyMatrix } from "./latency/latency-matrix.js";
import { Network } from "./network.js";
import { Traffic } from "./traffic.js";

/** Two hosts 50 ms apart (one way). */
const matrix: LatencyMatrix = { hosts: 2, source: "test", oneWayMs: (a: number, b: number) => (a === b ? 0 : 50) };

function setup(links: Partial<LinkOptions> = {}) {
  const scheduler = new Scheduler();
  const traffic = new Traffic();
  const nodes: SimNode[] = [];
  const received: { at: number; from: number; message: unknown }[] = [];
  for (const [i, host] of [0, 1].entries()) {
    const node = new SimNode(i, `n${i}`, String(i).padStart(40, "0"), host, 1000); // 1 ms access delay
    node.alive = true;
    node.runtime = { active: true };
    node.protocol = {
      join() {},
      lookup() {},
      receive: (from, message) => received.push({ at: msFromUs(scheduler.nowUs), from, message }),
    } satisfies ProtocolNode;
    nodes.push(node);
  }
  const options: LinkOptions = { uplinkBps: 0, downlinkBps: 0, queueBytes: 65_536, lossRate: 0, processingUs: 0, ...links };
  const network = new Network(scheduler, matrix, nodes, traffic, options, SeededRandom.root(7).fork("network"), new Invariants(true, 7));
  return { scheduler, traffic, nodes, received, network };
}

describe("Network", () => {
  it("delivers after the one-way delay plus both access delays, counting the 28-byte header", () => {
    const { scheduler, traffic, nodes, received, network } = setup();
    network.send(nodes[0], 1, "hello", 72, traffic.category("liveness"));
    scheduler.runUntil(usFromMs(1000));
    expect(received).toEqual([{ at: 52, from: 0, message: "hello" }]);
    expect(traffic.windowSent[traffic.category("liveness")]).toBe(100);
    expect(traffic.windowReceived[traffic.category("liveness")]).toBe(100);
  });

  it("serialises messages behind the uplink in FIFO order", () => {
    // 100 kbit/s: a 100-byte message (72 + 28) takes 8 ms on the wire.
    const { scheduler, traffic, nodes, received, network } = setup({ uplinkBps: 100_000 });
    const c = traffic.category("leafset");
    for (let i = 0; i < 3; i++) network.send(nodes[0], 1, i, 72, c);
    scheduler.runUntil(usFromMs(1000));
    expect(received.map((r) => [r.message, r.at])).toEqual([[0, 60], [1, 68], [2, 76]]);
  });

  it("makes each received message wait its turn at the receiver's processing, one at a time, after the downlink", () => {
    // 2 ms per message: three sent at once arrive together at 52 ms and are handled at 54, 56 and 58 ms.
    const { scheduler, traffic, nodes, received, network } = setup({ processingUs: 2000 });
    const c = traffic.category("leafset");
    for (let i = 0; i < 3; i++) network.send(nodes[0], 1, i, 72, c);
    scheduler.runUntil(usFromMs(1000));
    expect(received.map((r) => [r.message, r.at])).toEqual([[0, 54], [1, 56], [2, 58]]);
    // Behind a 100 kbit/s downlink (8 ms per message) the CPU keeps up: each is handled 2 ms after it is received.
    const slow = setup({ processingUs: 2000, downlinkBps: 100_000 });
    for (let i = 0; i < 3; i++) slow.network.send(slow.nodes[0], 1, i, 72, c);
    slow.scheduler.runUntil(usFromMs(1000));
    expect(slow.received.map((r) => [r.message, r.at])).toEqual([[0, 62], [1, 70], [2, 78]]);
  });

  it("drops new messages when the queue is full (drop-tail) and counts them", () => {
    const { scheduler, traffic, nodes, received, network } = setup({ uplinkBps: 100_000, queueBytes: 250 });
    const c = traffic.category("leafset");
    for (let i = 0; i < 5; i++) network.send(nodes[0], 1, i, 72, c);
    scheduler.runUntil(usFromMs(1000));
    // The backlog counts the message still on the wire, so 250 bytes hold two 100-byte messages.
    expect(received.map((r) => r.message)).toEqual([0, 1]);
    expect(traffic.droppedQueue.messages).toBe(3);
    expect(traffic.sent.messages).toBe(5);
  });

  it("queues at a limited downlink too", () => {
    const { scheduler, traffic, nodes, received, network } = setup({ downlinkBps: 100_000 });
    const c = traffic.category("lookup");
    network.send(nodes[0], 1, "a", 72, c);
    network.send(nodes[0], 1, "b", 72, c);
    scheduler.runUntil(usFromMs(1000));
    expect(received.map((r) => r.at)).toEqual([60, 68]);
  });

  it("loses messages to a departed node silently, and accounts for every message", () => {
    const { scheduler, traffic, nodes, received, network } = setup();
    const c = traffic.category("lookup");
    network.send(nodes[0], 1, "x", 10, c);
    nodes[1].alive = false;
    network.send(nodes[0], 99, "nowhere", 10, c);
    expect(traffic.inFlight.messages).toBe(1);
    scheduler.runUntil(usFromMs(1000));
    expect(received).toEqual([]);
    expect(traffic.lostToDeadNodes.messages).toBe(2);
    expect(traffic.inFlight.messages).toBe(0);
  });

  it("loses a message to a node gone for good as it is sent, and lets one to a node that may return fly", () => {
    const { scheduler, traffic, nodes, received, network } = setup();
    const c = traffic.category("liveness");
    nodes[1].alive = false;
    nodes[1].retired = true;
    network.send(nodes[0], 1, "gone", 10, c);
    // No arrival event: the fate is counted at once.
    expect(scheduler.pending).toBe(0);
    expect(traffic.lostToDeadNodes.messages).toBe(1);
    expect(traffic.inFlight.messages).toBe(0);
    // A node that may come back (lifetime churn with downtime, traces) gets the message if it is back in time.
    nodes[1].retired = false;
    network.send(nodes[0], 1, "back", 10, c);
    expect(scheduler.pending).toBe(1);
    scheduler.schedule(10, () => (nodes[1].alive = true));
    scheduler.runUntil(usFromMs(1000));
    expect(received).toEqual([{ at: 52, from: 0, message: "back" }]);
    expect(traffic.lostToDeadNodes.messages).toBe(1);
  });

  it("drops the configured fraction of messages at random", () => {
    const { scheduler, traffic, nodes, received, network } = setup({ lossRate: 0.25 });
    const c = traffic.category("lookup");
    for (let i = 0; i < 4000; i++) network.send(nodes[0], 1, i, 10, c);
    scheduler.runUntil(usFromMs(1000));
    expect(received.length + traffic.droppedLoss.messages).toBe(4000);
    expect(traffic.droppedLoss.messages / 4000).toBeGreaterThan(0.22);
    expect(traffic.droppedLoss.messages / 4000).toBeLessThan(0.28);
  });
});
