import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "../../scenario/errors.js";
import { DenseLatencyMatrix, type LatencyMatrix } from "./latency-matrix.js";

const MAX_FILE_HOSTS = 20_000;

/** Bytes read at a time: a King file of 1,837 hosts is 100 MB, and holding it whole (with a string per line) took a GiB. */
const CHUNK_BYTES = 1 << 20;

/**
 * Calls `visit` with each line of `file` (without its newline) and its 1-based number, reading `chunkBytes` at a
 * time, so memory stays bounded whatever the file's size; `visit` returning false stops the reading.
 */
export function forEachLine(file: string, visit: (line: string, lineNo: number) => boolean | void, chunkBytes = CHUNK_BYTES): void {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw new InputError(file, `cannot read the latency file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let carry = "";
    let lineNo = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      // Latin-1 keeps one character per byte, so a chunk never splits a character; the files are ASCII.
      const text = carry + buffer.toString("latin1", 0, read);
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        if (visit(text.slice(start, nl), ++lineNo) === false) return;
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    if (carry !== "") visit(carry, ++lineNo);
  } finally {
    closeSync(fd);
  }
}

/** The file's first line, read alone. */
function firstLine(file: string): string {
  let first = "";
  forEachLine(file, (line) => {
    first = line;
    return false;
  }, 4096);
  return first;
}

/** Median of the positive off-diagonal values, which p2psim substitutes for missing entries. */
function medianOfPositive(values: Float32Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && values[i * n + j] > 0) count++;
  if (count === 0) return NaN;
  // A typed copy sorts numerically, in a quarter of the memory of an array of numbers.
  const known = new Float32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && values[i * n + j] > 0) known[k++] = values[i * n + j];
  known.sort();
  return known[Math.floor(count / 2)];
}

function fillMissing(delays: Float32Array, n: number, file: string): number {
  let missing = 0;
  for (let i = 0; i < n * n; i++) if (Math.floor(i / n) !== i % n && !(delays[i] > 0)) missing++;
  if (missing === 0) return 0;
  const median = medianOfPositive(delays, n);
  if (Number.isNaN(median)) throw new InputError(file, "no positive delay in the file; expected at least one measured pair");
  for (let i = 0; i < n * n; i++) if (Math.floor(i / n) !== i % n && !(delays[i] > 0)) delays[i] = median;
  return missing;
}

/**
 * A p2psim/Bamboo King topology ("E2EGraph"): a header `topology E2EGraph N`, optional `failure_model` and
 * `loss_rate` lines, `node i` lines, then `i,j L` lines with 1-based ids and L the one-way delay in integer ms.
 * Only i<j is usually stored; both directions get L (when both are given and differ, their mean). A negative L
 * or an absent pair is missing and takes the median of the measured delays, and 0 between distinct nodes
 * becomes 1, as p2psim does.
 */
export function loadKingTopology(file: string, chunkBytes = CHUNK_BYTES): LatencyMatrix {
  const first = firstLine(file);
  const header = /^\s*topology\s+E2EGraph\s+(\d+)\s*$/.exec(first);
  if (header === null) throw new InputError(`${file}:1`, `expected "topology E2EGraph <nodes>", found "${first.slice(0, 60)}"`);
  const n = Number(header[1]);
  if (n < 2) throw new InputError(`${file}:1`, `expected at least 2 nodes, found ${n}`);
  // A dense matrix of more hosts would not fit in memory; the synthetic model serves any number.
  if (n > MAX_FILE_HOSTS) throw new InputError(`${file}:1`, `expected at most ${MAX_FILE_HOSTS} nodes in a matrix file, found ${n}`);
  const delays = new Float32Array(n * n).fill(-1);
  const seen = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) delays[i * n + i] = 0;
  let pairs = 0;
  forEachLine(file, (raw, lineNo) => {
    if (lineNo === 1) return;
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("failure_model") || line.startsWith("loss_rate") || line.startsWith("node ")) return;
    const comma = line.indexOf(",");
    const space = line.indexOf(" ", comma);
    const where = `${file}:${lineNo}`;
    if (comma < 0 || space < 0) throw new InputError(where, `expected "i,j delay", found "${line.slice(0, 60)}"`);
    const a = Number(line.slice(0, comma));
    const b = Number(line.slice(comma + 1, space));
    const l = Number(line.slice(space + 1));
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1 || a > n || b > n) {
      throw new InputError(where, `node ids must be integers from 1 to ${n}, found "${line.slice(0, space)}"`);
    }
    if (line.slice(space + 1).trim() === "" || !Number.isFinite(l)) throw new InputError(where, `"${line.slice(space + 1)}" is not a delay; expected milliseconds`);
    if (a === b) return;
    const value = l === 0 ? 1 : l;
    const i = (a - 1) * n + (b - 1);
    const j = (b - 1) * n + (a - 1);
    if (seen[i] && value > 0 && delays[i] > 0) {
      delays[i] = delays[j] = (delays[i] + value) / 2;
    } else {
      delays[i] = delays[j] = value;
    }
    seen[i] = seen[j] = 1;
    pairs++;
  }, chunkBytes);
  if (pairs === 0) throw new InputError(file, "no delay lines (i,j L) found; the file looks truncated");
  const missing = fillMissing(delays, n, file);
  return new DenseLatencyMatrix(n, delays, `King topology ${file} (${n} hosts${missing > 0 ? `, ${missing / 2} missing pairs set to the median` : ""})`);
}

/**
 * A square matrix of round-trip times in ms, one row per line, separated by commas, tabs or spaces. One-way
 * delay is half the RTT; an asymmetric pair gets the mean of both directions; entries ≤ 0 off the diagonal are
 * missing and take the median.
 */
export function loadRttMatrix(file: string, chunkBytes = CHUNK_BYTES): LatencyMatrix {
  // Two passes, so the matrix is allocated once at its size: count the rows, then read them.
  let n = 0;
  forEachLine(file, (raw) => {
    const line = raw.trim();
    if (line !== "" && !line.startsWith("#")) n++;
  }, chunkBytes);
  if (n === 0) throw new InputError(file, "the latency matrix is empty");
  if (n < 2) throw new InputError(file, "expected a square matrix of at least 2 hosts");
  if (n > MAX_FILE_HOSTS) throw new InputError(file, `expected at most ${MAX_FILE_HOSTS} rows in a matrix file, found ${n}`);
  const rtt = new Float32Array(n * n);
  let i = 0;
  forEachLine(file, (raw, lineNo) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/[\s,]+/);
    if (fields.length !== n) {
      throw new InputError(`${file}:${lineNo}`, `expected ${n} values (the matrix has ${n} rows), found ${fields.length}`);
    }
    for (let j = 0; j < n; j++) {
      const v = Number(fields[j]);
      if (fields[j] === "" || !Number.isFinite(v)) throw new InputError(`${file}:${lineNo}`, `column ${j + 1}: "${fields[j]}" is not a number`);
      rtt[i * n + j] = v;
    }
    i++;
  }, chunkBytes);
  const delays = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = rtt[i * n + j];
      const b = rtt[j * n + i];
      const rttMean = a > 0 && b > 0 ? (a + b) / 2 : a > 0 ? a : b;
      delays[i * n + j] = delays[j * n + i] = rttMean > 0 ? rttMean / 2 : -1;
    }
  }
  const missing = fillMissing(delays, n, file);
  return new DenseLatencyMatrix(n, delays, `RTT matrix ${file} (${n} hosts${missing > 0 ? `, ${missing / 2} missing pairs set to the median` : ""})`);
}

/** Either format, told apart by the King header. */
export function loadLatencyFile(file: string): LatencyMatrix {
  return /^\s*topology\b/.test(firstLine(file)) ? loadKingTopology(file) : loadRttMatrix(file);
}
