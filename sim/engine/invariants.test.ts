import { describe, expect, it } from "vitest";
import type { LatencyMatrix } from "../network/latency/latency-matrix.js";
import { Network } from "../network/network.js";
import { Traffic } from "../network/traffic.js";
import { EngineRuntime, type RuntimeListener } from "../simulation/engine-runtime.js";
import { Invariants, InvariantViolation } from "./invariants.js";
import { Scheduler } from "./scheduler.js";
import { SeededRandom } from "./seeded-random.js";
import { SimNode } from "./sim-node.js";

const matrix: LatencyMatrix = { hosts: 1, source: "test", oneWayMs: () => 0 };

function setup() {
  const scheduler = new Scheduler();
  const traffic = new Traffic();
  const invariants = new Invariants(true, 42);
  const node = new SimNode(0, "10.0.0.1:4001", "0".repeat(40), 0, 1000);
  node.alive = true;
  const network = new Network(scheduler, matrix, [node], traffic, { uplinkBps: 0, downlinkBps: 0, queueBytes: 1e6, lossRate: 0, processingUs: 0 }, SeededRandom.root(1), invariants);
  const listener = {} as RuntimeListener;
  const runtime = new EngineRuntime(node, SeededRandom.root(2), scheduler, network, traffic, listener, invariants);
  node.runtime = runtime;
  node.protocol = { join() {}, lookup() {}, receive() {} };
  return { scheduler, traffic, node, runtime, network };
}

describe("invariant checks", () => {
  it("stop the run when a cancelled timer fires, naming time, node and seed", () => {
    const { scheduler, runtime } = setup();
    // A scheduler whose cancel claims success but cancels nothing: the bug the check exists for.
    scheduler.cancel = () => true;
    const handle = runtime.setTimer(10, () => {});
    runtime.cancelTimer(handle);
    expect(() => scheduler.runUntil(100_000)).toThrow(InvariantViolation);
    const s2 = setup();
    s2.scheduler.cancel = () => true;
    s2.runtime.cancelTimer(s2.runtime.setTimer(10, () => {}));
    expect(() => s2.scheduler.runUntil(100_000)).toThrow(/at simulated time 10\.000 ms on node 10\.0\.0\.1:4001 \(seed 42\): a cancelled timer fired/);
  });

  it("refuse a node cancelling a timer it did not set, but not a stale handle of its own", () => {
    const { scheduler, node, network, traffic, runtime } = setup();
    const other = new EngineRuntime(node, SeededRandom.root(3), scheduler, network, traffic, {} as RuntimeListener, new Invariants(true, 42));
    let fired = 0;
    const mine = runtime.setTimer(10, () => fired++);
    expect(() => other.cancelTimer(mine)).toThrow(/cancelTimer was given a timer this node did not set/);
    scheduler.runUntil(20_000);
    expect(fired).toBe(1);
    runtime.cancelTimer(mine); // already fired: a no-op, as protocols rely on
    const later = runtime.setTimer(10, () => fired++);
    runtime.cancelTimer(later);
    runtime.cancelTimer(later);
    scheduler.runUntil(40_000);
    expect(fired).toBe(1);
  });

  it("stop the run when bytes go unaccounted for", () => {
    const { scheduler, traffic, node, network } = setup();
    network.send(node, 0, "x", 10, traffic.category("liveness"));
    traffic.droppedLoss.add(38); // counted as lost although it is still in flight
    expect(() => scheduler.runUntil(100_000)).toThrow(/byte conservation/);
  });

  it("stop the run when a message reaches a node whose runtime has ended", () => {
    const { scheduler, traffic, node, network } = setup();
    network.send(node, 0, "x", 10, traffic.category("liveness"));
    node.runtime = { active: false };
    expect(() => scheduler.runUntil(100_000)).toThrow(/reached a node after it departed/);
  });

  it("stop the run when time goes backwards", () => {
    const invariants = new Invariants(true, 3);
    invariants.time(50, "n");
    expect(() => invariants.time(40, "n")).toThrow(/time went backwards from 50 µs to 40 µs/);
  });
});
