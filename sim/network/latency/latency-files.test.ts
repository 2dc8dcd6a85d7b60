import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../test/helpers.js";
import { loadKingTopology, loadLatencyFile, loadRttMatrix } from "./latency-files.js";
import type { LatencyMatrix } from "./latency-matrix.js";

function file(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

const king = (pairs: string) => `topology E2EGraph 3\nfailure_model ConstantFailureModel delay=1\nloss_rate 0\n\nnode 1\nnode 2\nnode 3\n${pairs}`;

describe("King topology files (p2psim E2EGraph)", () => {
  it("reads one-way delays, symmetric, zero on the diagonal", () => {
    const m = loadKingTopology(file("k.top", king("1,2 42\n1,3 89\n2,3 17\n")));
    expect([m.hosts, m.oneWayMs(0, 1), m.oneWayMs(1, 0), m.oneWayMs(0, 2), m.oneWayMs(2, 1), m.oneWayMs(1, 1)]).toEqual([3, 42, 42, 89, 17, 0]);
  });

  it("gives missing entries (negative or absent) the median, and turns 0 into 1 as p2psim does", () => {
    const m = loadKingTopology(file("k.top", king("1,2 40\n1,3 -1\n2,3 0\n")));
    expect(m.oneWayMs(1, 2)).toBe(1);
    // Measured: 40 and 1 (the zero made 1); the median of the positive directed entries is 40.
    expect(m.oneWayMs(0, 2)).toBe(40);
    const absent = loadKingTopology(file("k.top", king("1,2 40\n")));
    expect(absent.oneWayMs(1, 2)).toBe(40);
  });

  it("read the same matrix however the file is cut into chunks (a line split across reads, CRLF endings, no final newline)", () => {
    const path = file("k.top", king("1,2 42\r\n1,3 -1\r\n2,3 17"));
    const cells = (m: LatencyMatrix) => [0, 1, 2].flatMap((a) => [0, 1, 2].map((b) => m.oneWayMs(a, b)));
    const whole = cells(loadKingTopology(path));
    expect(whole).toEqual([0, 42, 42, 42, 0, 17, 42, 17, 0]);
    for (const chunk of [1, 3, 7, 64]) expect(cells(loadKingTopology(path, chunk)), `chunks of ${chunk} bytes`).toEqual(whole);
    const rtt = file("m.csv", "0,10,20\n10,0,30\n20,30,0");
    for (const chunk of [1, 5, 4096]) expect(cells(loadRttMatrix(rtt, chunk))).toEqual([0, 5, 10, 5, 0, 15, 10, 15, 0]);
  });

  it.each([
    ["wrong header", "topology Euclidean 3\n", /k\.top:1: expected "topology E2EGraph <nodes>"/],
    ["truncated", king(""), /k\.top: no delay lines .* truncated/],
    ["non-numeric", king("1,2 fast\n"), /k\.top:8: "fast" is not a delay/],
    ["id out of range", king("1,4 10\n"), /k\.top:8: node ids must be integers from 1 to 3/],
    ["malformed line", king("1 2 10\n"), /k\.top:8: expected "i,j delay"/],
  ])("rejects a file with %s, naming the file and line", (_what, text, message) => {
    expect(() => loadKingTopology(file("k.top", text))).toThrow(message);
  });

  it("names a missing file", () => {
    expect(() => loadLatencyFile(join(tempDir(), "none.top"))).toThrow(/none\.top: cannot read the latency file \(ENOENT\)/);
  });
});

describe("RTT matrices", () => {
  it("reads whitespace and CSV matrices and halves RTTs to one-way delays", () => {
    for (const text of ["0\t100\t60\n100\t0\t80\n60\t80\t0\n", "0,100,60\n100,0,80\n60,80,0\n"]) {
      const m = loadRttMatrix(file("m.txt", text));
      expect([m.hosts, m.oneWayMs(0, 1), m.oneWayMs(2, 1)]).toEqual([3, 50, 40]);
    }
  });

  it("averages an asymmetric pair and fills missing entries with the median", () => {
    const m = loadRttMatrix(file("m.txt", "0 100 -1\n120 0 80\n0 80 0\n"));
    expect(m.oneWayMs(0, 1)).toBe(55);
    expect(m.oneWayMs(1, 0)).toBe(55);
    expect(m.oneWayMs(0, 2)).toBe(55); // median of the known one-way delays 55 and 40, upper middle
  });

  it.each([
    ["a ragged row", "0 1 2\n1 0\n2 1 0\n", /m\.txt:2: expected 3 values \(the matrix has 3 rows\), found 2/],
    ["a non-numeric entry", "0 1\nx 0\n", /m\.txt:2: column 1: "x" is not a number/],
    ["nothing in it", "\n\n", /m\.txt: the latency matrix is empty/],
  ])("rejects %s", (_what, text, message) => {
    expect(() => loadLatencyFile(file("m.txt", text))).toThrow(message);
  });
});

const shared = fileURLToPath(new URL("../../../../shared/data/", import.meta.url));
const king128 = join(shared, "king128/king128.top");
const planetlab = join(shared, "planetlab490/PlanetLabData_1");

function medianOneWay(m: LatencyMatrix): number {
  const xs: number[] = [];
  for (let i = 0; i < m.hosts; i++) for (let j = i + 1; j < m.hosts; j++) xs.push(m.oneWayMs(i, j));
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

describe("the real data sets (skipped when ../shared is absent)", () => {
  it.skipIf(!existsSync(king128))("loads king128: 128 hosts, median one-way delay 68 ms", () => {
    const m = loadLatencyFile(king128);
    expect(m.hosts).toBe(128);
    expect(medianOneWay(m)).toBe(68);
  });

  it.skipIf(!existsSync(planetlab))("loads planetlab490: 490 hosts, median one-way delay about 67.5 ms", () => {
    const m = loadLatencyFile(planetlab);
    expect(m.hosts).toBe(490);
    expect(medianOneWay(m)).toBeCloseTo(67.5, 0);
  });
});

describe("latency files under hostile input", () => {
  it("answer any text with a matrix or an error naming the file", async () => {
    const fc = (await import("fast-check")).default;
    const { InputError } = await import("../../scenario/errors.js");
    const dir = tempDir();
    const lines = fc.array(
      fc.oneof(
        fc.constantFrom("topology E2EGraph 3", "topology E2EGraph 0", "topology E2EGraph 99999999", "node 1", "1,2 40", "1,3 -1", "2,3 x", "3,1 1e9", "0 10 20", "10,0,30", "\t", ""),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 8 },
    );
    let n = 0;
    fc.assert(
      fc.property(lines, (ls) => {
        const path = join(dir, `f${n++}.txt`);
        writeFileSync(path, ls.join("\n"));
        try {
          const m = loadLatencyFile(path);
          expect(m.hosts).toBeGreaterThanOrEqual(2);
          for (let i = 0; i < m.hosts; i++) for (let j = 0; j < m.hosts; j++) expect(Number.isFinite(m.oneWayMs(i, j))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as Error).message).toContain(path);
        }
      }),
      { numRuns: 300 },
    );
  });
});
