import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../sim/engine/seeded-random.js";
import type { Address, Contact, NodeRuntime } from "../../sim/runtime/index.js";
import { BambooNode } from "./bamboo-node.js";
import type { Message } from "./messages.js";
import { bambooOptionsSchema, parseBambooOptions } from "./options.js";

const defaults = Object.fromEntries(Object.entries(bambooOptionsSchema.properties).map(([k, v]) => [k, v.default]));
const id = (hexPrefix: string) => hexPrefix.padEnd(40, "0");

/** A runtime that records what the node sends and lets the test play the network. */
function fakeRuntime(self: Contact) {
  const sent: { to: Address; m: Message }[] = [];
  const rt: NodeRuntime<Message> = {
    address: self.address,
    id: self.id,
    random: SeededRandom.root(1),
    now: () => 0,
    send: (to, m) => void sent.push({ to, m }),
    setTimer: () => 0,
    cancelTimer: () => {},
    bootstrap: () => null,
    reportJoined: () => {},
    reportLookup: () => {},
    counter: () => ({ add: () => {} }),
    sample: () => ({ record: () => {} }),
  };
  return { rt, sent };
}

function joinedNode(leaves: Contact[], others: Contact[]) {
  const self = { address: 0, id: id("80") };
  const { rt, sent } = fakeRuntime(self);
  const node = new BambooNode(rt, parseBambooOptions({ ...defaults, leafSetSize: 2 }));
  node.join({ address: 99, id: id("ff") });
  node.receive(99, { t: "welcome", leaves, path: [] });
  // Answer every ping the node sent, so the nodes it heard of enter its tables with an RTT.
  node.receive(99, { t: "row", level: 0, depth: 0, entries: others });
  for (const { to, m } of sent.splice(0)) if (m.t === "ping") node.receive(to, { t: "pong", nonce: m.nonce, coordinate: null });
  return node;
}

describe("Bamboo next hop", () => {
  const leaves = [
    { address: 1, id: id("81") },
    { address: 2, id: id("82") },
    { address: 3, id: id("7f") },
    { address: 4, id: id("7e") },
  ];
  const others = [
    { address: 5, id: id("20") },
    { address: 6, id: id("c0") },
  ];

  it("inside the leaf set's range goes to the closest leaf, or is owned here", () => {
    const node = joinedNode(leaves, others);
    expect(node.nextHop(id("8140")).address).toBe(1);
    expect(node.nextHop(id("7e4")).address).toBe(4);
    expect(node.nextHop(id("8001")).address).toBe(0);
  });

  it("outside it follows the routing-table entry for the next digit", () => {
    const node = joinedNode(leaves, others);
    expect(node.nextHop(id("c5")).address).toBe(6);
    expect(node.nextHop(id("2a")).address).toBe(5);
  });

  it("with no entry for the digit falls back to the known node closest to the key", () => {
    const node = joinedNode(leaves, others);
    // Digit e has no entry; c0 is the closest node known.
    expect(node.nextHop(id("e0")).address).toBe(6);
  });
});
