import { parseTimeoutOptions, type TimeoutOptions, timeoutOptionsSchema } from "../common/timeout-options.js";

export type Recovery = "periodic" | "reactive";
export type Routing = "recursive" | "iterative";
/** Healing after partitions: off (Bamboo's own behaviour), or re-probing neighbours given up on. */
export type Heal = "off" | "reprobe";
/** Which proximity-neighbour-selection techniques run (none: `pns: "off"`, and cells never change hands). */
export interface PnsTechniques {
  /** Global sampling: look up random identifiers in our cells (Bamboo's global tuning). */
  global: boolean;
  /** Neighbours' neighbours: ask a routing-table neighbour for a row of its table (Bamboo's local tuning). */
  local: boolean;
  /** Neighbours' inverse neighbours: ask a routing-table neighbour for the nodes whose tables hold it. */
  inverse: boolean;
  /** Recursive sampling: neighbours' neighbours, then the same question to one of the nodes it named. */
  recursive: boolean;
}

const TECHNIQUES = ["global", "local", "inverse", "recursive"] as const;
const PNS_PATTERN = `^(off|both|all|(${TECHNIQUES.join("|")})(\\+(${TECHNIQUES.join("|")}))*)$`;

/** `off`, `both` (global+local, Bamboo's default), `all`, or techniques joined by `+`, e.g. `global+inverse`. */
export function parsePns(text: string): PnsTechniques {
  const names = text === "off" ? [] : text === "both" ? ["global", "local"] : text === "all" ? [...TECHNIQUES] : text.split("+");
  return { global: names.includes("global"), local: names.includes("local"), inverse: names.includes("inverse"), recursive: names.includes("recursive") };
}

export interface BambooOptions extends TimeoutOptions {
  /** Leaf-set entries per side. */
  leafSetSize: number;
  /** Bits per routing digit: 4 (base 16, Bamboo's default) or 1 (base 2, OpenDHT's). */
  digitBits: number;
  recovery: Recovery;
  routing: Routing;
  leafSetPeriodMs: number;
  pns: PnsTechniques;
  /** Any PNS technique on: the routing table applies the PNS replacement rule. */
  pnsOn: boolean;
  pnsFactor: number;
  localTuningPeriodMs: number;
  globalTuningPeriodMs: number;
  pingPeriodMs: number;
  secondChanceMs: number;
  joinRetryMs: number;
  joinRetryMaxMs: number;
  heal: Heal;
  /** Healing: how long a forgotten neighbour is remembered, how many at most, and the mean time between re-probes. */
  healMemoryMs: number;
  healListSize: number;
  healPeriodMs: number;
}

const duration = (fallback: string, description: string) => ({ type: "string", format: "duration", default: fallback, description });

/** The scenario's `protocol` options for Bamboo, with the defaults of Bamboo's source and the paper. */
export const bambooOptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    leafSetSize: { type: "integer", minimum: 1, maximum: 64, default: 4, description: "Leaf-set entries per side (4: 8 in all, as OpenDHT)." },
    base: { enum: [16, 2], default: 16, description: "Routing-table digit base." },
    recovery: { enum: ["periodic", "reactive"], default: "periodic", description: "Leaf-set recovery: periodic push-pull with one random member, or reactive (send the new leaf set to all members on every change, as FreePastry)." },
    routing: {
      enum: ["recursive", "iterative"],
      default: "recursive",
      description: "Lookups: recursive (each hop forwards, with per-hop acknowledgements) or iterative (the originator asks each hop for the next; joins and tuning stay recursive).",
    },
    leafSetPeriod: duration("4s", "Periodic recovery: mean time between leaf-set exchanges (jittered uniformly in [T/2, 3T/2))."),
    ...timeoutOptionsSchema,
    pns: {
      type: "string",
      pattern: PNS_PATTERN,
      default: "both",
      description:
        "Proximity neighbour selection: off, or techniques joined by + — global (sampling by lookup: Bamboo's global tuning), local (neighbours' neighbours: Bamboo's local tuning), inverse (neighbours' inverse neighbours), recursive (neighbours' neighbours, then theirs) — or both (global+local, Bamboo's default) or all.",
    },
    pnsFactor: { type: "number", exclusiveMinimum: 0, maximum: 1, default: 0.9, description: "An occupied routing cell changes hands only to a node under this × the incumbent's RTT." },
    localTuningPeriod: duration("10s", "Period of each neighbour-sampling technique (local, inverse, recursive)."),
    globalTuningPeriod: duration("20s", "Global tuning period."),
    pingPeriod: duration("20s", "Liveness pings of leaf-set and routing-table neighbours."),
    secondChance: duration("60s", "A suspected neighbour is probed for this long before it is forgotten."),
    joinRetry: duration("10s", "First join retry; doubles up to joinRetryMax."),
    joinRetryMax: duration("60s", "Longest join retry interval."),
    heal: {
      enum: ["off", "reprobe"],
      default: "off",
      description:
        "Healing after partitions and long loss bursts: off (Bamboo's behaviour: a neighbour silent past its second chance is forgotten for good), or reprobe (remember forgotten neighbours for healMemory and re-probe one every healPeriod; one that answers is taken as newly discovered and the two leaf sets are exchanged, so rings split by a partition meet and merge).",
    },
    healMemory: duration("30m", "Healing: how long a forgotten neighbour stays on the list to re-probe."),
    healListSize: { type: "integer", minimum: 1, maximum: 1024, default: 32, description: "Healing: forgotten neighbours remembered at most (the oldest dropped first)." },
    healPeriod: duration("10s", "Healing: mean time between re-probes of one forgotten neighbour (jittered uniformly in [T/2, 3T/2))."),
  },
} as const;

export function parseBambooOptions(o: Record<string, unknown>): BambooOptions {
  const ms = (key: string) => o[key] as number;
  return {
    leafSetSize: o.leafSetSize as number,
    digitBits: o.base === 2 ? 1 : 4,
    recovery: o.recovery as Recovery,
    routing: o.routing as Routing,
    leafSetPeriodMs: ms("leafSetPeriod"),
    ...parseTimeoutOptions(o),
    pns: parsePns(o.pns as string),
    pnsOn: o.pns !== "off",
    pnsFactor: o.pnsFactor as number,
    localTuningPeriodMs: ms("localTuningPeriod"),
    globalTuningPeriodMs: ms("globalTuningPeriod"),
    pingPeriodMs: ms("pingPeriod"),
    secondChanceMs: ms("secondChance"),
    joinRetryMs: ms("joinRetry"),
    joinRetryMaxMs: ms("joinRetryMax"),
    heal: o.heal as Heal,
    healMemoryMs: ms("healMemory"),
    healListSize: o.healListSize as number,
    healPeriodMs: ms("healPeriod"),
  };
}
