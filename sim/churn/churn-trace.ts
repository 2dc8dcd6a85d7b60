import { readFileSync } from "node:fs";
import { InputError } from "../scenario/errors.js";

export interface TraceEvent {
  timeMs: number;
  node: string;
  event: "join" | "leave";
}

/**
 * A churn trace: CSV with header `time,node,event`, time in seconds from the start of the run, node any label
 * without commas, event `join` or `leave`. Times must not decrease; a node joins only while absent and leaves
 * only while present, and rejoins under the same identity.
 */
export function parseChurnTrace(file: string): TraceEvent[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the churn trace (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase().replace(/\s+/g, "");
  if (header !== "time,node,event") {
    throw new InputError(`${file}:1`, `expected the header "time,node,event", found "${lines[0] ?? ""}"`);
  }
  const events: TraceEvent[] = [];
  const present = new Set<string>();
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `${file}:${i + 1}`;
    const fields = line.split(",").map((f) => f.trim());
    if (fields.length !== 3) throw new InputError(where, `expected 3 fields time,node,event, found ${fields.length}`);
    const [timeText, node, eventText] = fields;
    const seconds = Number(timeText);
    if (timeText === "" || !Number.isFinite(seconds) || seconds < 0) {
      throw new InputError(where, `"${timeText}" is not a time; expected seconds ≥ 0`);
    }
    const timeMs = seconds * 1000;
    if (timeMs < last) throw new InputError(where, `time ${timeText} s is earlier than the line before; the trace must be sorted by time`);
    if (node === "") throw new InputError(where, "empty node label");
    const event = eventText.toLowerCase();
    if (event !== "join" && event !== "leave") throw new InputError(where, `"${eventText}" is not an event; expected join or leave`);
    if (event === "join" && present.has(node)) throw new InputError(where, `node "${node}" joins while already present`);
    if (event === "leave" && !present.has(node)) throw new InputError(where, `node "${node}" leaves but is not present (unknown or already gone)`);
    if (event === "join") present.add(node);
    else present.delete(node);
    events.push({ timeMs, node, event });
    last = timeMs;
  }
  if (events.length === 0) throw new InputError(file, "the trace has no events");
  return events;
}

/**
 * A p2psim churn file (ChurnFileEventGenerator): a line per node, `ip alive|dead t1 t2 …`, the node's state at
 * the start and then the times (ms) at which it flips between alive and dead; `#` starts a comment. A node that
 * starts alive joins at time 0, and comes back under the same identity, as in p2psim.
 */
export function parseP2psimChurnFile(file: string): TraceEvent[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read the churn file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const events: (TraceEvent & { order: number })[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 0 || words[0].startsWith("#")) return;
    const where = `${file}:${i + 1}`;
    const [node, state, ...times] = words;
    if (words.length < 2) throw new InputError(where, "expected \"ip alive|dead t1 t2 …\"");
    if (state !== "alive" && state !== "dead") throw new InputError(where, `"${state}" is not a state; expected alive or dead`);
    if (seen.has(node)) throw new InputError(where, `node "${node}" has a second line`);
    seen.add(node);
    let alive = state === "alive";
    if (alive) events.push({ timeMs: 0, node, event: "join", order: events.length });
    let last = 0;
    for (const t of times) {
      const timeMs = Number(t);
      if (!Number.isFinite(timeMs) || timeMs < 0) throw new InputError(where, `"${t}" is not a time; expected milliseconds ≥ 0`);
      if (timeMs < last) throw new InputError(where, `time ${t} ms is earlier than the one before it on the line; times must not decrease`);
      last = timeMs;
      alive = !alive;
      events.push({ timeMs, node, event: alive ? "join" : "leave", order: events.length });
    }
  });
  if (events.length === 0) throw new InputError(file, "the churn file has no node that is ever alive");
  // All nodes' flips in time order; one node's events keep their order.
  events.sort((a, b) => a.timeMs - b.timeMs || a.order - b.order);
  return events.map(({ timeMs, node, event }) => ({ timeMs, node, event }));
}
