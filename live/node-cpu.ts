import type { SimNode } from "../sim/engine/sim-node.js";
import type { Id } from "../sim/runtime/ids.js";
import type { Address, Contact, LookupHandle, ProtocolNode } from "../sim/runtime/node-runtime.js";

/** One incarnation's CPU time: what its protocol code took, in its own callbacks. */
export interface IncarnationCpu {
  readonly label: string;
  readonly sessionS: number;
  readonly cpuMs: number;
}

/**
 * CPU time per node of a live run. Every node runs in one thread, so the time spent inside a node's callbacks
 * (receiving a message, decoding it, its timers, starting a lookup) is that node's CPU time; the rest of the
 * process (churn, workload, metrics, the event loop) is not charged to any node.
 */
export class NodeCpu {
  private readonly running = new Map<Address, { node: SimNode; startedMs: number; cpuMs: number }>();
  readonly ended: IncarnationCpu[] = [];

  constructor(private readonly nowMs: () => number) {}

  started(node: SimNode): void {
    this.running.set(node.address, { node, startedMs: this.nowMs(), cpuMs: 0 });
  }

  charge(address: Address, ms: number): void {
    const entry = this.running.get(address);
    if (entry !== undefined) entry.cpuMs += ms;
  }

  departed(address: Address): void {
    const entry = this.running.get(address);
    if (entry === undefined) return;
    this.running.delete(address);
    this.ended.push({ label: entry.node.label, sessionS: (this.nowMs() - entry.startedMs) / 1000, cpuMs: entry.cpuMs });
  }

  /** Every incarnation, those still running cut at the end of the run. */
  all(): IncarnationCpu[] {
    for (const address of [...this.running.keys()]) this.departed(address);
    return this.ended;
  }

  /** The protocol node with its entry points timed and charged to `node`. */
  instrument(node: SimNode, protocol: ProtocolNode): ProtocolNode {
    const cpu = this;
    const address = node.address;
    const timed = (start: number) => cpu.charge(address, performance.now() - start); // wall-clock ok: CPU accounting
    return {
      join(gateway: Contact | null) {
        const start = performance.now(); // wall-clock ok
        protocol.join(gateway);
        timed(start);
      },
      receive(from: Address, message: unknown) {
        const start = performance.now(); // wall-clock ok
        protocol.receive(from, message);
        timed(start);
      },
      lookup(key: Id, handle: LookupHandle) {
        const start = performance.now(); // wall-clock ok
        protocol.lookup(key, handle);
        timed(start);
      },
      get routing() {
        return protocol.routing;
      },
    };
  }
}
