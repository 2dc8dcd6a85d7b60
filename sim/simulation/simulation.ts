import { type ChurnProcess, startChurn } from "../churn/churn-processes.js";
import { parseChurnTrace, parseP2psimChurnFile, type TraceEvent } from "../churn/churn-trace.js";
import { type FaultTarget, scheduleFaults } from "../churn/faults.js";
import { LiveSet } from "../churn/live-set.js";
import { messageChanged } from "../engine/frozen-messages.js";
import { Invariants } from "../engine/invariants.js";
import { Scheduler } from "../engine/scheduler.js";
import { SeededRandom } from "../engine/seeded-random.js";
import { SimNode } from "../engine/sim-node.js";
import { msFromUs, usFromMs } from "../engine/sim-time.js";
import { RunMetrics, type Summary } from "../metrics/metrics.js";
import { loadLatencyFile, syntheticKing } from "../network/latency/index.js";
import type { LatencyMatrix } from "../network/latency/latency-matrix.js";
import { Network } from "../network/network.js";
import { Traffic } from "../network/traffic.js";
import { type Id, idOfAddress } from "../runtime/ids.js";
import type { Address, Contact, Counter, LookupHandle, Sample } from "../runtime/node-runtime.js";
import type { ProtocolDefinition } from "../runtime/protocol-definition.js";
import type { ClientApplicationDefinition } from "../runtime/client-application.js";
import type { AdmissionDefinition, OpHandle, PutOutcome, StorageDefinition } from "../runtime/storage-layer.js";
import { parseProtocolOptions } from "../scenario/protocol-options.js";
import type { Scenario } from "../scenario/scenario.js";
import { OwnerOracle } from "../workload/oracle.js";
import { Workload } from "../workload/workload.js";
import { EngineRuntime, type RuntimeListener } from "./engine-runtime.js";
import type { HostedRuntime, LiveEnvironment } from "./live-environment.js";
import { StorageRun } from "./storage-run.js";

/** The runtime record of a departed incarnation: inactive, and holding nothing. */
const DEPARTED = { active: false } as const;

export interface SimulationOptions {
  /** Check invariants while running (time order, cancelled timers, byte conservation, dead nodes, lookups). */
  check?: boolean;
  /** The storage layer the scenario's `storage` section names (required when it has one). */
  storage?: StorageDefinition;
  /** The admission control the scenario's `storage.admission` names (required when it has one). */
  admission?: AdmissionDefinition;
  /** The application on the clients the scenario runs (`storage.redir`: ReDiR). */
  application?: ClientApplicationDefinition;
  /** Run live: on the wall clock, with the environment's runtimes and transport (sockets) instead of the engine's. */
  live?: LiveEnvironment;
}

export interface RunHooks {
  /** Called every `progressEvery` events with the simulated time; return true to stop the run early. */
  onProgress?: (simulatedMs: number, events: number) => boolean | void;
  progressEvery?: number;
}

export class RunInterrupted extends Error {
  constructor(readonly simulatedMs: number) {
    super(`run interrupted at simulated time ${(simulatedMs / 1000).toFixed(1)} s`);
    this.name = "RunInterrupted";
  }
}

/**
 * One run of one scenario: wires the scheduler, latency model, network, churn, workload and metrics, and
 * drives the protocol's node instances. All randomness comes from named streams forked off the scenario's
 * seed, so the same scenario and seed give the same run, event for event.
 */
export class Simulation implements FaultTarget, RuntimeListener {
  readonly scheduler = new Scheduler();
  readonly traffic = new Traffic();
  readonly alive = new LiveSet();
  readonly joined = new LiveSet();
  private readonly nodes: (SimNode | undefined)[] = [];
  private readonly runtimes: (HostedRuntime | undefined)[] = [];
  private readonly root: SeededRandom;
  private readonly placement: SeededRandom;
  private readonly gateways: SeededRandom;
  private readonly latency: LatencyMatrix;
  private readonly network: Network;
  private readonly oracle: OwnerOracle;
  private readonly metrics: RunMetrics;
  private readonly workload: Workload;
  private readonly trace: TraceEvent[] | null;
  /** Arrivals before churn starts are the initial population; their sessions' starts are not observed. */
  private churnStarted = false;
  /** The owner of every node's fate once churn has started. */
  private churn: ChurnProcess | null = null;
  /** With invariants on: the most nodes the scenario lets be alive at once. */
  private readonly populationBound: number;
  private readonly incarnations: number[] = [];
  /** Joined live nodes by identifier, to measure the direct path from a lookup's source to its owner. */
  private readonly byId = new Map<Id, SimNode>();
  private readonly protocolOptions: unknown;
  readonly invariants: Invariants;
  /** The storage layer, its workload and the truth about stored values, when the scenario runs one. */
  readonly storage: StorageRun | null = null;
  private readonly live: LiveEnvironment | null;
  /** Live: when the run next has something to do by the wall clock (µs). */
  private waitUntilUs = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly protocol: ProtocolDefinition<any, any>,
    outDir: string,
    options: SimulationOptions = {},
  ) {
    this.invariants = new Invariants(options.check ?? false, scenario.seed);
    this.live = options.live ?? null;
    this.protocolOptions = parseProtocolOptions(protocol, scenario.protocol.options);
    this.root = SeededRandom.root(scenario.seed);
    this.placement = this.root.fork("placement");
    this.gateways = this.root.fork("gateways");
    this.trace =
      scenario.churn.process !== "trace"
        ? null
        : scenario.churn.format === "p2psim"
          ? parseP2psimChurnFile(scenario.churn.file)
          : parseChurnTrace(scenario.churn.file);
    this.populationBound = this.trace === null ? scenario.nodes : new Set(this.trace.map((e) => e.node)).size;
    this.latency =
      scenario.latency.model === "file"
        ? loadLatencyFile(scenario.latency.file)
        : syntheticKing(scenario.latency.hosts, this.root.fork("latency"));
    this.network = new Network(this.scheduler, this.latency, this.nodes, this.traffic, scenario.links, this.root.fork("network"), this.invariants, this.live?.transport ?? null);
    this.oracle = new OwnerOracle(protocol.ownership);
    if (scenario.storage !== null) {
      if (options.storage === undefined) throw new Error(`the scenario runs a storage layer (${scenario.storage.replication}) and none was given to the simulation`);
      const s = scenario;
      this.storage = new StorageRun(s.storage!, this.invariants, options.storage, options.admission ?? null, options.application ?? null, this, outDir, this.traffic, s.warmupMs, s.durationMs, this.scheduler, this.root.fork("storage-workload"));
    }
    this.metrics = new RunMetrics(outDir, this.traffic, scenario.warmupMs, scenario.durationMs, protocol.name, this.storage?.metrics ?? null, scenario.workload.retry);
    this.workload = new Workload(
      scenario.workload,
      this,
      this.oracle,
      this.scheduler,
      this.root.fork("workload"),
      (r) => this.metrics.lookupEnded(r),
      () => this.metrics.lookupsAbandoned++,
      this.invariants,
    );
  }

  /** Runs the scenario to its end, then lets lookups in progress finish; returns the run's summary. */
  run(hooks: RunHooks = {}): Summary {
    const steps = this.steps(hooks);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /**
   * As run(), but gives the event loop a turn between chunks of events, so signals (Ctrl-C) are heard. A live run
   * waits there for the wall clock to reach the next event, or for a message to arrive.
   */
  async runAsync(hooks: RunHooks = {}): Promise<Summary> {
    const steps = this.steps(hooks);
    let step = steps.next();
    while (!step.done) {
      if (this.live === null) await new Promise((resolve) => setImmediate(resolve));
      else await this.live.clock.wait(this.waitUntilUs);
      step = steps.next();
    }
    return step.value;
  }

  /** A live run: runs what has fallen due by the wall clock and sets the clock to it, before code runs outside an event. */
  catchUp(): void {
    if (this.live !== null) this.scheduler.runUntil(Math.max(this.scheduler.nowUs, this.live.clock.nowUs()));
  }

  /** The run as a sequence of chunks of at most `progressEvery` events; yields after each. */
  private *steps(hooks: RunHooks): Generator<void, Summary> {
    const s = this.scenario;
    // A trace brings its own arrivals from t = 0; other processes start from an initial population.
    const churnStartMs = s.churn.process === "trace" ? 0 : s.joinPhaseMs;
    if (s.start === "converged") this.scheduler.schedule(0, () => this.startConverged());
    else if (s.churn.process !== "trace") this.scheduleInitialJoins();
    this.scheduler.schedule(usFromMs(churnStartMs), () => {
      this.churnStarted = true;
      this.churn = startChurn(s.churn, this, this.scheduler, this.root.fork("churn"), churnStartMs, this.trace);
    });
    this.workload.start(s.joinPhaseMs, s.durationMs);
    this.storage?.start(s.joinPhaseMs, s.durationMs, this.scheduler);
    this.scheduler.schedule(usFromMs(s.warmupMs), () => {
      this.traffic.collecting = true;
      this.metrics.protocolStats.start();
    });
    scheduleFaults(s.faults, this, this.network, this.latency.hosts, this.scheduler, this.root.fork("faults"));
    this.scheduleWindows();
    try {
      const endUs = usFromMs(s.durationMs);
      yield* this.runUntil(endUs, hooks);
      this.traffic.collecting = false;
      this.metrics.protocolStats.stop();
      for (let i = 0; i < this.alive.size; i++) {
        const node = this.nodes[this.alive.at(i)] as SimNode;
        if (node.sessionObserved) this.metrics.sessionCensored(msFromUs(endUs - node.sessionStart));
      }
      this.metrics.closeWindow(s.durationMs, this.joined.size, this.storage?.window(endUs));
      // Drain: no new lookups or storage operations; those in progress end by their timeout at the latest.
      const drainEnd = endUs + usFromMs(Math.max(s.workload.lookupTimeoutMs, this.storage?.longestOpMs ?? 0));
      while (this.pending > 0 && this.scheduler.nextTimeUs() <= drainEnd) {
        yield* this.runUntil(Math.min(drainEnd, this.scheduler.nowUs + 1_000_000), hooks);
      }
      if (this.workload.pendingLookups > 0) {
        this.invariants.fail(`${this.workload.pendingLookups} lookups never ended (neither reported nor timed out)`, this.scheduler.nowUs);
      }
      if ((this.storage?.workload.pendingOps ?? 0) > 0) {
        this.invariants.fail(`${this.storage?.workload.pendingOps} storage operations never ended (neither reported nor timed out)`, this.scheduler.nowUs);
      }
      return this.metrics.summary(this.scheduler.executed);
    } finally {
      this.metrics.close();
    }
  }

  /** Lookups and storage operations in progress. */
  private get pending(): number {
    return this.workload.pendingLookups + (this.storage?.workload.pendingOps ?? 0);
  }

  private *runUntil(endUs: number, hooks: RunHooks): Generator<void, void> {
    const every = hooks.progressEvery ?? 200_000;
    const live = this.live;
    for (;;) {
      // Live, the scheduler follows the wall clock: it runs what is due, then waits for the rest, and a run's
      // end comes when the wall clock reaches it (messages may arrive until then).
      const limit = live === null ? endUs : Math.min(endUs, live.clock.nowUs());
      if (limit >= endUs && this.scheduler.nextTimeUs() > endUs) break;
      this.scheduler.runUntil(limit, every);
      if (hooks.onProgress?.(this.nowMs, this.scheduler.executed) === true) {
        throw new RunInterrupted(this.nowMs);
      }
      this.waitUntilUs = Math.min(this.scheduler.nextTimeUs(), endUs);
      yield;
    }
    this.scheduler.runUntil(endUs);
  }

  private scheduleInitialJoins(): void {
    const n = this.scenario.nodes;
    const spacing = this.scenario.joinPhaseMs / n;
    for (let i = 0; i < n; i++) this.scheduler.schedule(usFromMs(i * spacing), () => this.spawn());
  }

  /**
   * `start: "converged"` (p2psim's initstate): every initial node is created at time 0 and, instead of joining,
   * handed the contacts of all of them, sorted by identifier, to build the tables of a converged overlay from.
   * Nodes arriving later (churn) join through a bootstrap node as usual.
   */
  private startConverged(): void {
    const n = this.scenario.nodes;
    const first = this.nodes.length;
    for (let i = 0; i < n; i++) this.spawn(undefined, false);
    const members: Contact[] = [];
    for (let a = first; a < first + n; a++) {
      const node = this.nodes[a] as SimNode;
      members.push({ address: node.address, id: node.id });
    }
    members.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    Object.freeze(members);
    for (let a = first; a < first + n; a++) {
      const node = this.nodes[a] as SimNode;
      const protocol = node.protocol as NonNullable<SimNode["protocol"]>;
      if (protocol.startConverged === undefined) throw new Error(`protocol ${this.protocol.name} declares convergedStart but its node has no startConverged`);
      if (!this.invariants.enabled) protocol.startConverged(members);
      else {
        try {
          protocol.startConverged(members);
        } catch (error) {
          throw messageChanged(error, this.invariants, this.scheduler.nowUs, node.label);
        }
      }
    }
  }

  private scheduleWindows(): void {
    const windowUs = usFromMs(this.scenario.metrics.windowMs);
    const endUs = usFromMs(this.scenario.durationMs);
    const tick = () => {
      this.metrics.closeWindow(this.nowMs, this.joined.size, this.storage?.window(this.scheduler.nowUs));
      if (this.scheduler.nowUs + windowUs < endUs) this.scheduler.after(windowUs, tick);
    };
    if (windowUs < endUs) this.scheduler.schedule(windowUs, tick);
  }

  // Population

  /** A new node; it joins through a bootstrap node unless `join` is false (a converged start hands it its tables). */
  spawn(label?: string, join = true): Address {
    const address = this.nodes.length;
    const host = this.placement.int(this.latency.hosts);
    // Addresses as on the Internet: the host's IP and a port per node on it, so identifiers (SHA-1 of the
    // address) are fresh for every new node.
    const ip = `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}`;
    const port = 4000 + (this.incarnations[host] = (this.incarnations[host] ?? 0) + 1);
    const text = label === undefined ? `${ip}:${port}` : `${ip}:${port}/${label}`;
    const node = new SimNode(address, text, idOfAddress(text), host, usFromMs(this.placement.uniform(0, this.scenario.accessDelayMs)));
    this.nodes.push(node);
    this.runtimes.push(undefined);
    this.start(node, join);
    return address;
  }

  replace(): void {
    const address = this.spawn();
    // Before churn starts, the process takes every node alive at its start anyway.
    this.churn?.adopt(address);
  }

  incarnation(address: Address): number {
    const node = this.nodes[address] as SimNode;
    return node.retired ? 0 : node.session;
  }

  revive(address: Address): void {
    const node = this.nodes[address] as SimNode;
    if (node.alive) throw new Error(`node ${node.label} revived while alive`);
    if (node.retired) throw new Error(`node ${node.label} revived after departing for good`);
    this.start(node);
  }

  private start(node: SimNode, join = true): void {
    node.alive = true;
    node.joined = false;
    node.session++;
    node.sessionStart = this.scheduler.nowUs;
    node.sessionObserved = this.churnStarted;
    node.uplinkFreeAt = node.downlinkFreeAt = node.processingFreeAt = 0;
    // Each incarnation its own stream: a node that returns must not repeat its last session's draws.
    const random = this.root.fork(node.session === 1 ? `node:${node.address}` : `node:${node.address}:${node.session}`);
    const runtime =
      this.live === null
        ? new EngineRuntime(node, random, this.scheduler, this.network, this.traffic, this, this.invariants)
        : this.live.createRuntime({
            node,
            random,
            listener: this,
            send: (to, message, bytes, category) => this.network.send(node, to, message, bytes, this.traffic.category(category)),
            catchUp: () => this.catchUp(),
          });
    this.runtimes[node.address] = runtime;
    node.runtime = runtime;
    node.protocol = this.protocol.create(runtime, this.protocolOptions);
    if (this.storage !== null) node.protocol = this.storage.stack(node, runtime, node.protocol as NonNullable<SimNode["protocol"]>);
    if (this.live !== null) node.protocol = this.live.instrument(node, node.protocol as NonNullable<SimNode["protocol"]>);
    this.alive.add(node.address);
    if (this.invariants.enabled && this.alive.size > this.populationBound) {
      this.invariants.fail(`${this.alive.size} nodes alive, more than the scenario's ${this.populationBound}`, this.scheduler.nowUs, node.label);
    }
    this.metrics.nodeArrived(this.nowMs);
    if (!join) return;
    const gateway = this.bootstrap(node);
    if (!this.invariants.enabled) return node.protocol.join(gateway);
    try {
      node.protocol.join(gateway);
    } catch (error) {
      throw messageChanged(error, this.invariants, this.scheduler.nowUs, node.label);
    }
  }

  /** A random joined node to join through, or null: the first node creates the overlay. */
  bootstrap(exclude: SimNode): Contact | null {
    const joined = this.joined;
    if (joined.size === 0) return null;
    const i = this.gateways.int(joined.size);
    let other = this.nodes[joined.at(i)] as SimNode;
    if (other === exclude) {
      if (joined.size === 1) return null;
      other = this.nodes[joined.at((i + 1) % joined.size)] as SimNode;
    }
    return { address: other.address, id: other.id };
  }

  kill(address: Address, returns: boolean): void {
    const node = this.nodes[address] as SimNode;
    if (!node.alive) return;
    node.alive = false;
    node.retired = !returns;
    (this.runtimes[address] as HostedRuntime).active = false;
    this.live?.departed(node);
    // Nothing of a departed incarnation is kept but its record: at 100,000 nodes under churn, runtimes (each
    // with its random stream) of the dead would outnumber the living many times over.
    this.runtimes[address] = undefined;
    node.runtime = DEPARTED;
    node.protocol = null;
    this.storage?.departed(node, returns);
    this.alive.remove(address);
    if (node.joined) {
      node.joined = false;
      this.joined.remove(address);
      this.oracle.remove(node.id);
      this.byId.delete(node.id);
    }
    this.metrics.nodeDeparted(this.nowMs, this.churnStarted && node.sessionObserved ? msFromUs(this.scheduler.nowUs - node.sessionStart) : null);
  }

  /** The clock in ms, as metrics and hooks take it. */
  private get nowMs(): number {
    return msFromUs(this.scheduler.nowUs);
  }

  // RuntimeListener

  nodeJoined(node: SimNode): void {
    node.joined = true;
    this.joined.add(node.address);
    this.oracle.add(node.id);
    this.byId.set(node.id, node);
  }

  lookupEnded(handle: LookupHandle, owner: Id | null, hops: number): void {
    this.workload.end(handle, owner, hops);
  }

  counter(name: string): Counter {
    return this.metrics.protocolStats.counter(name);
  }

  storagePutEnded(handle: OpHandle, outcome: PutOutcome, acks: number, attempts: number): void {
    this.storage?.putEnded(handle, outcome, acks, attempts);
  }

  storageGetEnded(handle: OpHandle, values: readonly number[] | null, replicasContacted: number, attempts: number): void {
    this.storage?.getEnded(handle, values, replicasContacted, attempts);
  }

  storageHeld(_node: SimNode, key: Id, valueHash: number, remove: boolean, delta: 1 | -1): void {
    this.storage?.held(key, valueHash, remove, delta);
  }

  sample(name: string): Sample {
    return this.metrics.protocolStats.sample(name);
  }

  // WorkloadHost

  node(address: number): SimNode {
    return this.nodes[address] as SimNode;
  }

  runtime(address: number): HostedRuntime {
    return this.runtimes[address] as HostedRuntime;
  }

  trueRttMs(from: SimNode, to: Address): number | null {
    // The path to a departed node's host still has an RTT: the oracle knows the network, not who is alive.
    const node = this.nodes[to];
    return node === undefined ? null : 2 * this.network.delayMs(from, node);
  }

  directRttMs(from: SimNode, to: Id): number | null {
    const owner = this.byId.get(to);
    return owner === undefined ? null : 2 * this.network.delayMs(from, owner);
  }

  get latencyHosts(): number {
    return this.latency.hosts;
  }

  hostToNodeUs(host: number, node: Address): number {
    const n = this.nodes[node] as SimNode;
    return usFromMs(this.latency.oneWayMs(host, n.host)) + n.accessDelayUs;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  get liveNodes(): number {
    return this.alive.size;
  }
}
