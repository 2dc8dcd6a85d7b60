import { describe, expect, it } from "vitest";
import { Scheduler } from "../../sim/engine/scheduler.js";
import { msFromUs, usFromMs } from "../../sim/engine/sim-time.js";
import type { NodeRuntime } from "../../sim/runtime/index.js";
import { AckedForwarding, type ForwardingRules } from "./acked-forwarding.js";
import { type Peer, peerOf } from "./identifiers.js";
import { Requests } from "./requests.js";
import { FixedTimeouts } from "./timeouts.js";

type Route = { t: "route"; nonce: number; key: string; hops: number };

const peer = (address: number) => peerOf({ address, id: address.toString(16).padStart(40, "0") });

/**
 * One node routing by a fixed preference list: the next hop is the first choice not suspected. The test plays
 * the network: it acknowledges hops by hand, or leaves them silent.
 */
function setup(choices: Peer[], maxReroutes: number) {
  const scheduler = new Scheduler();
  const sent: { to: number; m: Route; bytes: number; category: string }[] = [];
  const rt = {
    now: () => msFromUs(scheduler.nowUs),
    setTimer: (delay: number, callback: (arg: unknown) => void, arg?: unknown) => scheduler.after(usFromMs(delay), callback, arg),
    cancelTimer: (handle: number) => void scheduler.cancel(handle),
    send: (to: number, m: Route, bytes: number, category: string) => void sent.push({ to, m, bytes, category }),
  } as unknown as NodeRuntime<Route>;
  const requests = new Requests<Route>(rt, new FixedTimeouts(100));
  const suspected: number[] = [];
  const rerouted: { m: Route; attempts: number }[] = [];
  const route = (m: Route, attempts: number) => {
    const next = choices.find((p) => !suspected.includes(p.address));
    if (next !== undefined) forwarding.forward(next, m, attempts);
  };
  const rules: ForwardingRules<Route> = {
    onward: (nonce, m) => ({ t: "route", nonce, key: m.key, hops: m.hops + 1 }),
    // The hop's size: 40 bytes and one per hop made, this one included.
    bytes: (m) => 40 + m.hops + 1,
    category: () => "lookup",
    suspect: (hop) => void suspected.push(hop.address),
    reroute: (m, attempts) => {
      rerouted.push({ m, attempts });
      route(m, attempts);
    },
  };
  const forwarding = new AckedForwarding(requests, rules, maxReroutes);
  const ack = (i: number) => requests.answer(sent[i].to, sent[i].m.nonce, { t: "ack", nonce: sent[i].m.nonce });
  return { scheduler, sent, suspected, rerouted, route, ack };
}

describe("AckedForwarding", () => {
  it("sends each hop one hop further, as the rules size and file it", () => {
    const { sent, route } = setup([peer(1)], 6);
    route({ t: "route", nonce: 0, key: "k", hops: 3 }, 0);
    expect(sent).toEqual([{ to: 1, m: { t: "route", nonce: sent[0].m.nonce, key: "k", hops: 4 }, bytes: 44, category: "lookup" }]);
  });

  it("suspects a silent hop and re-routes the message to the next choice, which acknowledges", () => {
    const { scheduler, sent, suspected, rerouted, route, ack } = setup([peer(1), peer(2), peer(3)], 6);
    const m: Route = { t: "route", nonce: 0, key: "k", hops: 0 };
    route(m, 0);
    scheduler.runUntil(usFromMs(99));
    expect(suspected).toEqual([]);
    scheduler.runUntil(usFromMs(100));
    expect(suspected).toEqual([1]);
    // Re-routed as it arrived here, not as sent to the silent hop.
    expect(rerouted).toEqual([{ m, attempts: 1 }]);
    expect(sent.map((s) => s.to)).toEqual([1, 2]);
    expect(sent[1].m.hops).toBe(1);
    expect(ack(1)).toBe(true);
    scheduler.runUntil(usFromMs(1000));
    expect(suspected).toEqual([1]);
    expect(sent).toHaveLength(2);
  });

  it("gives up on a message after maxReroutes re-routes at this node", () => {
    const choices = [1, 2, 3, 4, 5].map(peer);
    const { scheduler, sent, suspected, route } = setup(choices, 2);
    route({ t: "route", nonce: 0, key: "k", hops: 0 }, 0);
    scheduler.runUntil(usFromMs(10_000));
    expect(sent.map((s) => s.to)).toEqual([1, 2, 3]);
    expect(suspected).toEqual([1, 2, 3]);
  });
});
