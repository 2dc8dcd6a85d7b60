import { describe, expect, it } from "vitest";
import { InvariantViolation } from "../sim/engine/invariants.js";
import type { ProtocolDefinition } from "../sim/runtime/protocol-definition.js";
import { Simulation } from "../sim/simulation/simulation.js";
import { scenario, silent, tempDir } from "./helpers.js";

type Note = { t: "note"; count: number; seen: number[] };

/**
 * A protocol that breaks the rule on purpose: each joining node sends its gateway a note, then changes it — the
 * sender a second later (`sent`), or the receiver as it arrives (`received`). Records who changed a note, and
 * when, and the notes received.
 */
function changing(change: "sent" | "received") {
  const changes: { address: number; atMs: number }[] = [];
  const received: Note[] = [];
  const definition: ProtocolDefinition<Record<string, never>, Note> = {
    ...(silent as unknown as ProtocolDefinition<Record<string, never>, Note>),
    name: `changes-${change}`,
    create: (rt) => ({
      join: (gateway) => {
        rt.reportJoined();
        if (gateway === null) return;
        const note: Note = { t: "note", count: 0, seen: [] };
        rt.send(gateway.address, note, 16, "liveness");
        if (change === "sent") {
          rt.setTimer(1000, () => {
            changes.push({ address: rt.address, atMs: rt.now() });
            note.count++;
          });
        }
      },
      receive: (_from, note) => {
        received.push(note);
        if (change === "received") {
          changes.push({ address: rt.address, atMs: rt.now() });
          note.seen.push(rt.address);
        }
      },
      lookup: (_key, handle) => rt.reportLookup(handle, rt.id, 0),
    }),
  };
  const simulation = (check: boolean) =>
    new Simulation(scenario({ name: "changes", nodes: 3, duration: "1m", warmup: "10s", joinPhase: "10s", protocol: { name: "silent" } }), definition, tempDir(), { check });
  return { simulation, changes, received };
}

describe("a message changed after it was sent", () => {
  it("by its sender stops a checked run at once, naming the node and the simulated time", () => {
    const { simulation, changes } = changing("sent");
    const sim = simulation(true);
    let error: unknown;
    try {
      sim.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvariantViolation);
    const violation = error as InvariantViolation;
    // The first change is the last thing the run did.
    expect(changes).toHaveLength(1);
    expect(violation.node).toBe(sim.node(changes[0].address).label);
    expect(violation.timeUs / 1000).toBe(changes[0].atMs);
    expect(violation.message).toContain(`at simulated time ${changes[0].atMs.toFixed(3)} ms on node ${sim.node(changes[0].address).label}`);
    expect(violation.message).toMatch(/a message was changed after it was sent \(Cannot assign to read only property 'count'/);
  });

  it("by its receiver stops a checked run at once, naming the node and the simulated time", () => {
    const { simulation, changes } = changing("received");
    const sim = simulation(true);
    expect(() => sim.run()).toThrow(/a message was changed after it was sent \(Cannot add property 0, object is not extensible/);
    expect(changes).toHaveLength(1);
    expect(() => simulation(true).run()).toThrow(`at simulated time ${changes[0].atMs.toFixed(3)} ms on node ${sim.node(changes[0].address).label}`);
  });

  it("goes unnoticed without --check, the change showing through to the other node", () => {
    const sent = changing("sent");
    sent.simulation(false).run();
    expect(sent.changes).toHaveLength(2);
    expect(sent.received.map((n) => n.count)).toEqual([1, 1]);
    const received = changing("received");
    received.simulation(false).run();
    expect(received.changes).toHaveLength(2);
  });
});
