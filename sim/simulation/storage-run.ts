import type { LiveSet } from "../churn/live-set.js";
import type { Invariants } from "../engine/invariants.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { SeededRandom } from "../engine/seeded-random.js";
import type { SimNode } from "../engine/sim-node.js";
import type { StorageWindow } from "../metrics/metrics.js";
import { ClientMetrics } from "../metrics/client-metrics.js";
import { StorageMetrics } from "../metrics/storage-metrics.js";
import type { Traffic } from "../network/traffic.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import type { ClientApplication, ClientApplicationDefinition } from "../runtime/client-application.js";
import type { Id } from "../runtime/ids.js";
import type { Address, ProtocolNode } from "../runtime/node-runtime.js";
import type { AdmissionDefinition, OpHandle, PutOutcome, StorageDefinition, StorageNode } from "../runtime/storage-layer.js";
import type { StorageSpec } from "../scenario/storage-spec.js";
import { type StorageClient, StorageWorkload, type StorageWorkloadHost } from "../workload/storage-workload.js";
import { ClientPopulation } from "../workload/client-population.js";
import { ValueOracle } from "../workload/value-oracle.js";
import type { HostedRuntime } from "./live-environment.js";
import { StackedNode } from "./stacked-node.js";

/** What the storage side of a run needs from the simulation. */
export interface StorageRunHost {
  readonly joined: LiveSet;
  readonly alive: LiveSet;
  /** Addresses ever given out: 0 … nodeCount − 1. */
  readonly nodeCount: number;
  node(address: Address): SimNode;
  runtime(address: Address): StorageClient;
  /** Hosts of the latency model, on which clients live too. */
  readonly latencyHosts: number;
  /** One-way delay from a host to a node (µs), the node's access link included. */
  hostToNodeUs(host: number, node: Address): number;
}

/**
 * Everything a run with a storage layer adds, in one place: each node's storage layer stacked on its protocol, the
 * disks of nodes away for a while, the value oracle (the truth about stored values), the storage workload and its
 * metrics.
 */
export class StorageRun {
  readonly metrics: StorageMetrics;
  readonly values: ValueOracle;
  readonly workload: StorageWorkload;
  /** The longest an operation can take from its start to its end, all its tries included. */
  readonly longestOpMs: number;
  /** The application running on clients (ReDiR), when the scenario has one. */
  readonly application: ClientApplication | null = null;
  /** OpenDHT's clients, when the scenario has them. */
  readonly clients: ClientPopulation | null = null;

  constructor(
    private readonly spec: StorageSpec,
    private readonly invariants: Invariants,
    private readonly definition: StorageDefinition,
    private readonly admission: AdmissionDefinition | null,
    application: ClientApplicationDefinition | null,
    private readonly host: StorageRunHost,
    outDir: string,
    traffic: Traffic,
    warmupMs: number,
    durationMs: number,
    scheduler: Scheduler,
    rng: SeededRandom,
  ) {
    if (definition.name !== spec.replication) throw new Error(`storage: the scenario asks for ${spec.replication}, the run was given ${definition.name}`);
    if (spec.admission !== null && admission === null) throw new Error(`storage: the scenario asks for admission "${spec.admission.algorithm}", the run was given none`);
    this.metrics = new StorageMetrics(outDir, traffic, warmupMs, durationMs);
    // Values are forgotten a little after they expire: no operation outlives its timeout (a client's, all its tries).
    const c = spec.clients;
    this.longestOpMs = longestOperationMs(spec);
    this.values = new ValueOracle(this.longestOpMs);
    if (c !== null) {
      this.clients = new ClientPopulation(c, {
        joined: host.joined,
        hosts: host.latencyHosts,
        delayUs: (clientHost, node) => host.hostToNodeUs(clientHost, node),
        incarnation: (node) => host.runtime(node),
      }, rng.fork("clients"));
      if (c.groups.length > 0) this.metrics.clients = new ClientMetrics(outDir, c.groups, this.clients.clients.map((k) => k.group), warmupMs, durationMs);
    }
    const workloadHost: StorageWorkloadHost = {
      joined: host.joined,
      storage: (address) => host.node(address).storage,
      runtime: (address) => host.runtime(address),
    };
    this.workload = new StorageWorkload(spec.workload, workloadHost, this.values, scheduler, rng, this.metrics, invariants, this.clients, this.metrics.clients);
    if (spec.redir !== null && application === null) throw new Error("storage: the scenario runs ReDiR, the run was given no application");
    if (application !== null) this.application = this.startApplication(application, outDir, warmupMs, durationMs, scheduler, rng.fork("application"));
  }

  /** The application on the clients (ReDiR): its clients are added to the population, its timers on the scheduler. */
  private startApplication(
    definition: ClientApplicationDefinition,
    outDir: string,
    warmupMs: number,
    durationMs: number,
    scheduler: Scheduler,
    random: SeededRandom,
  ): ClientApplication {
    const clients = this.clients;
    const operations = this.workload.clientOperations;
    if (clients === null || operations === null) throw new Error("storage: an application runs on clients, and the run has none");
    const app = definition.create({
      now: () => msFromUs(scheduler.nowUs),
      setTimer: (delayMs, fire) => scheduler.after(Math.max(0, Math.round(delayMs * 1000)), fire),
      cancelTimer: (handle) => void scheduler.cancel(handle),
      random,
      newClient: () => {
        const c = clients.addClient();
        return {
          index: c.index,
          put: (key, valueHash, size, ttlMs, done) => operations.servicePut(c, key, valueHash, size, ttlMs, done),
          get: (key, done) => operations.serviceGet(c, key, done),
        };
      },
      outDir,
      warmupMs,
      durationMs,
    });
    this.metrics.applications.push({ name: definition.name, app });
    return app;
  }

  /** The storage workload, and the application once the join phase is over. */
  start(startMs: number, stopMs: number, scheduler: Scheduler): void {
    this.workload.start(startMs, stopMs);
    const app = this.application;
    if (app !== null) scheduler.schedule(usFromMs(startMs), () => app.start());
  }

  /** A node starts a session: its storage layer, on its returning disk if it has one, over its protocol. */
  stack(node: SimNode, runtime: HostedRuntime, protocol: ProtocolNode): ProtocolNode {
    const routing = protocol.routing;
    if (routing === undefined) throw new Error("storage: the protocol's nodes offer no key-based routing");
    const disk = node.disk;
    node.disk = null;
    if (disk !== null) this.values.nodeReturned(disk);
    const storage: StorageNode = this.definition.create(runtime, routing, this.spec, runtime, disk, this.admission?.create(runtime) ?? null);
    node.storage = storage;
    return new StackedNode(protocol, storage);
  }

  /** A node departs: what it held goes offline with it (it will return with its disk), or is gone. */
  departed(node: SimNode, returns: boolean): void {
    const storage = node.storage;
    node.storage = null;
    if (storage === null) return;
    this.values.nodeDeparted(storage.disk, returns);
    node.disk = returns ? storage.disk : null;
  }

  held(key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void {
    this.values.held(key, valueHash, remove, delta);
  }

  putEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    this.workload.putEnded(handle, outcome, acks, attempts);
  }

  getEnded(handle: OpHandle, values: readonly number[] | null, contacted: number, attempts: number): void {
    this.workload.getEnded(handle, values, contacted, attempts);
  }

  /** The stored values' figures for a window closing now. */
  window(nowUs: number): StorageWindow {
    const alive = this.host.alive;
    let bytes = 0;
    for (let i = 0; i < alive.size; i++) bytes += this.host.node(alive.at(i)).storage?.storedBytes ?? 0;
    if (this.invariants.enabled) this.checkHolders(nowUs);
    if (this.clients !== null) {
      const gateways = this.clients.clients.map((c) => (c.gateway === -1 ? "" : this.host.node(c.gateway).label));
      this.metrics.clients?.windowClosed(nowUs / 1000, gateways);
    }
    return { storedBytesPerNode: alive.size === 0 ? 0 : bytes / alive.size, values: this.values.stats(nowUs) };
  }

  /**
   * With invariants on: the value oracle's count of each live value's holders (live nodes, and nodes away with
   * their disks) is what the stores hold, so durability figures rest on what nodes really keep.
   */
  private checkHolders(nowUs: number): void {
    const counts = new Map<string, number[]>();
    for (let address = 0; address < this.host.nodeCount; address++) {
      const node = this.host.node(address);
      const disk = node.alive ? node.storage?.disk : node.disk;
      if (disk === null || disk === undefined) continue;
      const side = node.alive ? 0 : 1;
      disk.forEachTuple((key, valueHash, remove, expiresUs) => {
        if (remove || expiresUs <= nowUs) return;
        const id = `${key}/${valueHash}`;
        const c = counts.get(id) ?? [0, 0];
        c[side]++;
        counts.set(id, c);
      });
    }
    this.values.forEachUnexpired(nowUs, (key, valueHash, live, offline) => {
      const [held, away] = counts.get(`${key}/${valueHash}`) ?? [0, 0];
      if (held !== live || away !== offline) {
        this.invariants.fail(`value ${key}/${valueHash}: the oracle counts ${live} live and ${offline} offline holders, the stores hold ${held} and ${away}`, nowUs);
      }
    });
  }
}

/**
 * An operation ends by the workload's timeout; a client's, after at most `attempts` tries of `gatewayTimeout`
 * each, with `againDelay` and the way back from the gateway (under a second) between them.
 */
export function longestOperationMs(spec: StorageSpec): number {
  const c = spec.clients;
  if (c === null) return spec.workload.timeoutMs;
  return Math.max(spec.workload.timeoutMs, c.attempts * (c.gatewayTimeoutMs + c.againDelayMs + 1000));
}
