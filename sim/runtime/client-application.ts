import type { Id } from "./ids.js";
import type { RandomStream } from "./random-stream.js";

/**
 * An application that runs on OpenDHT's clients, above the put/get service (ReDiR is one): the engine gives it
 * clients, each with its own identity and gateway, a clock, and a directory for its own results file; the
 * application reports a summary block for summary.json. Like a protocol, it sees nothing else of the simulator.
 */

/** How a client's put ended, after the client's own tries: OpenDHT's codes, or `failed` with no answer in time. */
export type ServicePutStatus = "ok" | "again" | "cap" | "failed";

/** One client of the DHT service, as an application uses it. Values are hashes and sizes, as in the storage layer. */
export interface ServiceClient {
  /** The client's identity (fair admission counts its puts under it). */
  readonly index: number;
  put(key: Id, valueHash: number, sizeBytes: number, ttlMs: number, done: (status: ServicePutStatus) => void): void;
  /** Every live value under `key` (null: the get failed after the client's tries). */
  get(key: Id, done: (values: readonly number[] | null) => void): void;
}

export interface ClientApplicationHost {
  /** Simulated time, ms. */
  now(): number;
  setTimer(delayMs: number, fire: () => void): number;
  cancelTimer(handle: number): void;
  readonly random: RandomStream;
  /** A new client of the service: it does not churn with the DHT, and picks its gateway as the scenario says. */
  newClient(): ServiceClient;
  /** Where the application may write its own results file. */
  readonly outDir: string;
  /** The statistics period: operations started in [warmupMs, durationMs) count. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface ClientApplication {
  /** Called once the DHT's join phase is over; the application stops starting work at `durationMs`. */
  start(): void;
  /** The application's block of summary.json. */
  summary(): Record<string, unknown>;
  close(): void;
}

export interface ClientApplicationDefinition {
  /** Names the application's block in summary.json (under `storage`). */
  readonly name: string;
  create(host: ClientApplicationHost): ClientApplication;
}
