import type { AlgorithmName } from "../../../service/admission/admission-control.js";
import type { ClientModelName, ClientSpec } from "./client-models.js";

/**
 * fssim's seven test setups (Test1.java … Test7.java), as data: the clients with their put period, size and TTL,
 * start times, and the run length. All use 1-s periods and start clients at 1 ms unless said otherwise.
 */
export interface TestSetup {
  readonly id: number;
  readonly title: string;
  readonly durationS: number;
  readonly clients: readonly ClientSpec[];
  /** The algorithms fssim ran this setup with. */
  readonly fssimAlgorithms: readonly AlgorithmName[];
  /** A longer maximum TTL than fssim's 1 h, where the setup's puts need it (ours, not fssim's). */
  readonly maxTtlS?: number;
  /** What fssim plotted, and what a fair allocator should give. */
  readonly note: string;
}

const HOUR_MS = 3_600_000;
const KB = 1024;
const ALL_SIX: readonly AlgorithmName[] = ["random", "fairRate", "fairStorage", "fairCommitment", "fairSpaceTime", "noQueuing"];

interface Group {
  readonly label: string;
  readonly count?: number;
  readonly model?: ClientModelName;
  readonly periodMs: number;
  readonly sizeBytes?: number;
  readonly ttlS?: number;
  readonly startMs?: number;
  readonly stopMs?: number;
  readonly retryMs?: number;
  readonly onMs?: number;
  readonly offMs?: number;
}

/** Expand groups into clients; a group of several gets numbered names ("1/100s-07"). */
function clients(groups: readonly Group[]): ClientSpec[] {
  const out: ClientSpec[] = [];
  for (const g of groups) {
    const count = g.count ?? 1;
    const width = String(count - 1).length;
    for (let k = 0; k < count; k++) {
      out.push({
        name: count === 1 ? g.label : `${g.label}-${String(k).padStart(width, "0")}`,
        model: g.model ?? "ecnBit",
        periodMs: g.periodMs,
        sizeBytes: g.sizeBytes ?? KB,
        ttlS: g.ttlS ?? 3600,
        startMs: g.startMs ?? 1,
        ...(g.stopMs !== undefined ? { stopMs: g.stopMs } : {}),
        ...(g.retryMs !== undefined ? { retryMs: g.retryMs } : {}),
        ...(g.onMs !== undefined ? { onMs: g.onMs } : {}),
        ...(g.offMs !== undefined ? { offMs: g.offMs } : {}),
      });
    }
  }
  return out;
}

export const TESTS: readonly TestSetup[] = [
  {
    id: 1,
    title: "ten clients, 1 kB for 1 h, periods 0.1 s to 80 s",
    durationS: 5 * 3600,
    clients: clients([
      { label: "10/s", periodMs: 100 },
      { label: "1/s", periodMs: 1000 },
      { label: "1/10s", count: 2, periodMs: 10_000 },
      { label: "1/20s", count: 2, periodMs: 20_000 },
      { label: "1/40s", count: 2, periodMs: 40_000 },
      { label: "1/80s", count: 2, periodMs: 80_000 },
    ]),
    fssimAlgorithms: ALL_SIX,
    note: "achieved rate (puts/s) over time; max-min: the eight slow clients get their 0.375 puts/s, the 10/s and 1/s clients share the rest",
  },
  {
    id: 2,
    title: "four clients at 1/s, 1 kB for 3 h, starting 2 h apart",
    durationS: 16 * 3600,
    clients: clients([0, 2, 4, 6].map((h, k) => ({ label: `client${k + 1}`, periodMs: 1000, ttlS: 3 * 3600, startMs: h * HOUR_MS }))),
    fssimAlgorithms: ALL_SIX,
    maxTtlS: 3 * 3600,
    note: "total storage (MB) over time; fssim's 1-h maximum TTL would refuse these puts, so the space-time algorithms run with a 3-h maximum here",
  },
  {
    id: 3,
    title: "3 at 10/s, 3 at 1/s, 50 at 1/100 s, 50 at 1/200 s; 1 kB for 1 h",
    durationS: 5 * 3600,
    clients: clients([
      { label: "10/s", count: 3, periodMs: 100 },
      { label: "1/s", count: 3, periodMs: 1000 },
      { label: "1/100s", count: 50, periodMs: 100_000 },
      { label: "1/200s", count: 50, periodMs: 200_000 },
    ]),
    fssimAlgorithms: ["random", "fairRate", "fairStorage", "fairSpaceTime", "noQueuing"],
    note: "achieved rate over time; max-min: the 100 slow clients are fully served, the six fast ones share the remaining quarter",
  },
  {
    id: 4,
    title: "seven clients mixing size and TTL",
    durationS: 5 * 3600,
    clients: clients([
      { label: "fastest 1kB·1h 20/s", periodMs: 50 },
      { label: "fast 1kB·1h 2/s", periodMs: 500 },
      { label: "1kB·1h 1/s", periodMs: 1000 },
      { label: "1kB·15min 4/s", periodMs: 250, ttlS: 900 },
      { label: "1kB·5min 12/s", periodMs: 83, ttlS: 300 },
      { label: "256B·1h 4/s", periodMs: 250, sizeBytes: 256 },
      { label: "64B·1h 16/s", periodMs: 62, sizeBytes: 64 },
    ]),
    fssimAlgorithms: ["random", "fairRate", "fairStorage", "fairSpaceTime", "noQueuing"],
    note: "cumulative storage-over-time (MB·h); each client asks at least the node's whole space-time, so max-min gives each a seventh",
  },
  {
    id: 5,
    title: "six clients, 1 kB every 2 s, TTL 2, 4, 8, 16, 32 and 60 min",
    durationS: 5 * 3600,
    clients: clients([2, 4, 8, 16, 32, 60].map((m) => ({ label: `ttl ${m}min`, periodMs: 2000, ttlS: m * 60 }))),
    fssimAlgorithms: ["random", "fairRate", "fairStorage", "fairSpaceTime", "noQueuing"],
    note: "storage (MB) over time for same-size puts of various TTLs",
  },
  {
    id: 6,
    title: "one submitter at 10/s and 100 clients wanting one put per 200 s (retry 1 s); TTL 10 s",
    durationS: 5 * 3600,
    clients: clients([
      { label: "submitter 10/s", model: "fixedSubmitRate", periodMs: 100, ttlS: 10 },
      { label: "1/200s", count: 100, model: "fixedAcceptRate", periodMs: 200_000, ttlS: 10, retryMs: 1000 },
    ]),
    fssimAlgorithms: ["fairSpaceTime"],
    note: "no plot in fssim; with 10-s TTLs the space-time asked is far below the node's, so every put should be accepted",
  },
  {
    id: 7,
    title: "1 kB·1 h at 2/s and 1/s, and a bursty client at 1/s with 10-min TTL, 10 min on / 1.5 h off",
    durationS: 5 * 3600,
    clients: clients([
      { label: "faster 2/s", model: "fixedSubmitRate", periodMs: 500 },
      { label: "fast 1/s", model: "fixedSubmitRate", periodMs: 1000 },
      { label: "bursty 1/s", model: "bursty", periodMs: 1000, ttlS: 600, onMs: 600_000, offMs: 5_400_000 },
    ]),
    fssimAlgorithms: ["fairSpaceTime"],
    note: "storage (MB) over time: whether a client returning from a long idle period gets its share at once",
  },
];

export function testSetup(id: number): TestSetup {
  const t = TESTS.find((s) => s.id === id);
  if (t === undefined) throw new Error(`no test ${id}; fssim's tests are 1 to 7`);
  return t;
}
