import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SimNode } from "../sim/engine/sim-node.js";
import type { LiveRun } from "../sim/experiments/run-directory.js";
import type { Address, ProtocolNode } from "../sim/runtime/node-runtime.js";
import type { HostedRuntime, IncarnationContext, LiveEnvironment } from "../sim/simulation/live-environment.js";
import { LiveRuntime } from "./live-runtime.js";
import { NodeCpu } from "./node-cpu.js";
import { UdpTransport } from "./udp-transport.js";
import { WallClock } from "./wall-clock.js";
import type { WireFormat } from "../sim/runtime/wire-format.js";
import { createCodec } from "./wire/codec.js";
import { layoutSizer } from "./wire/layout-size.js";
import { WireStats } from "./wire-stats.js";

/** The p-th percentile (0–100) of sorted values, nearest rank; NaN when there are none. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Everything a live run holds: the wall clock, a socket and a runtime per live node, and what only a live run
 * measures (CPU per node, event-loop lag, bytes on the wire per message type). `close()` leaves nothing open.
 */
export class LiveSession implements LiveEnvironment, LiveRun {
  readonly clock = new WallClock();
  readonly transport: UdpTransport;
  readonly wire: WireStats;
  readonly cpu: NodeCpu;
  /** The first exception protocol code threw outside an event (a timer), or a socket error: the run fails with it. */
  failure: unknown = null;
  private readonly runtimes = new Map<Address, LiveRuntime>();
  private readonly processCpuAtStart = process.cpuUsage();
  private closed = false;
  readonly fail = (error: unknown) => {
    this.failure ??= error;
    this.clock.poke(-Infinity);
  };

  constructor(format: WireFormat) {
    const codec = createCodec(format);
    this.wire = new WireStats(layoutSizer(format), format.layout?.notes);
    this.cpu = new NodeCpu(() => this.clock.nowUs() / 1000);
    this.transport = new UdpTransport(codec, this.clock, this.wire, (a, ms) => this.cpu.charge(a, ms), this.fail);
  }

  get environment(): LiveEnvironment {
    return this;
  }

  createRuntime(context: IncarnationContext): HostedRuntime {
    const runtime = new LiveRuntime(context, this.clock, this.cpu, this.fail);
    this.runtimes.set(context.node.address, runtime);
    this.transport.open(context.node);
    this.cpu.started(context.node);
    return runtime;
  }

  instrument(node: SimNode, protocol: ProtocolNode): ProtocolNode {
    return this.cpu.instrument(node, protocol);
  }

  departed(node: SimNode): void {
    this.runtimes.get(node.address)?.depart();
    this.runtimes.delete(node.address);
    this.transport.close(node.address);
    this.cpu.departed(node.address);
  }

  /** Writes wire.csv and cpu.csv into `dir`; returns the live figures summary.json adds. */
  finish(dir: string): Record<string, unknown> {
    this.wire.write(dir);
    const incarnations = this.cpu.all();
    const lines = ["node,session_s,cpu_ms,cpu_ms_per_s"];
    for (const i of incarnations) lines.push(`${i.label},${i.sessionS.toFixed(3)},${i.cpuMs.toFixed(3)},${i.sessionS > 0 ? (i.cpuMs / i.sessionS).toFixed(3) : ""}`);
    writeFileSync(join(dir, "cpu.csv"), `${lines.join("\n")}\n`);
    // Per node, CPU per second alive; sessions under 10 s say more about the join than the steady state.
    const rates = incarnations
      .filter((i) => i.sessionS >= 10)
      .map((i) => i.cpuMs / i.sessionS)
      .sort((a, b) => a - b);
    const used = process.cpuUsage(this.processCpuAtStart);
    const wallS = this.clock.nowUs() / 1e6;
    let declared = 0;
    let encoded = 0;
    for (const [, s] of this.wire.rows()) {
      declared += s.declaredBytes;
      encoded += s.encodedBytes;
    }
    const counts = this.transport.counts;
    const agreement = this.wire.agreement();
    const lateness = this.clock.lateness;
    return {
      live_process_cpu_s: round3((used.user + used.system) / 1e6),
      live_process_cpu_share: round3((used.user + used.system) / 1e6 / wallS),
      live_node_cpu_ms_per_s_mean: round3(rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length)),
      live_node_cpu_ms_per_s_p50: round3(percentile(rates, 50)),
      live_node_cpu_ms_per_s_p99: round3(percentile(rates, 99)),
      live_node_cpu_ms_per_s_max: round3(percentile(rates, 100)),
      // How late the run's wake-ups came: Node's millisecond timers (up to 1 ms) plus the event loop's lag.
      live_loop_lag_ms_p50: round3(lateness.percentile(50) / 1000),
      live_loop_lag_ms_p99: round3(lateness.percentile(99) / 1000),
      live_loop_lag_ms_max: round3(lateness.max / 1000),
      live_datagrams_sent: counts.sent,
      live_datagrams_received: counts.received,
      live_datagrams_stale: counts.stale,
      // Lost by the system, or still on their way when the run closed its sockets.
      live_datagrams_unreceived: counts.sent - counts.received,
      live_wire_declared_bytes: declared,
      live_wire_encoded_bytes: encoded,
      live_wire_types: agreement.types,
      live_wire_types_declared_within_10pct: agreement.within,
      live_wire_types_unexplained: agreement.unexplained.length,
    };
  }

  /** Stops every timer and closes every socket. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const runtime of this.runtimes.values()) runtime.depart();
    this.runtimes.clear();
    this.clock.stop();
    await this.transport.closeAll();
  }

  /** Timers and sockets still open (zero after close). */
  get openHandles(): { timers: number; sockets: number } {
    let timers = 0;
    for (const runtime of this.runtimes.values()) timers += runtime.pendingTimers;
    return { timers, sockets: this.transport.openSockets };
  }
}
