import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../sim/engine/scheduler.js";
import { msFromUs, usFromMs } from "../../sim/engine/sim-time.js";
import type { NodeRuntime } from "../../sim/runtime/index.js";
import { Requests } from "./requests.js";
import { FixedTimeouts } from "./timeouts.js";

type Ping = { t: "ping"; nonce: number };
const ping = (nonce: number): Ping => ({ t: "ping", nonce });

/** A runtime that only keeps time and records what is sent: the test plays the network. */
function setup(timeoutMs = 100) {
  const scheduler = new Scheduler();
  const sent: { to: number; nonce: number }[] = [];
  const rt = {
    now: () => msFromUs(scheduler.nowUs),
    setTimer: (delay: number, callback: (arg: unknown) => void, arg?: unknown) => scheduler.after(usFromMs(delay), callback, arg),
    cancelTimer: (handle: number) => void scheduler.cancel(handle),
    // Frozen as the engine freezes messages under --check: a write into one sent would throw.
    send: (to: number, m: Ping) => void sent.push({ to, nonce: Object.freeze(m).nonce }),
  } as unknown as NodeRuntime<Ping>;
  const timeouts = new FixedTimeouts(timeoutMs);
  return { scheduler, sent, timeouts, requests: new Requests<Ping>(rt, timeouts) };
}

describe("Requests", () => {
  it("runs exactly one callback per request, with its context: the reply's (with the RTT) or the timeout's", () => {
    fc.assert(
      fc.property(
        // Per request: the node asked, and when its reply comes back (ms after sending; never, past the timeout).
        fc.array(fc.record({ to: fc.integer({ min: 1, max: 4 }), replyAfter: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }), sendAt: fc.integer({ min: 0, max: 300 }) }), { maxLength: 60 }),
        (plan) => {
          const { scheduler, sent, timeouts, requests } = setup(100);
          const outcomes = new Map<number, string[]>();
          const note = (i: number, what: string) => outcomes.set(i, [...(outcomes.get(i) ?? []), what]);
          plan.forEach((r, i) => {
            scheduler.schedule(usFromMs(r.sendAt), () => {
              requests.send(r.to, ping, undefined, 44, "liveness", (_reply, rtt, context: number) => note(context, `reply ${rtt}`), (context: number) => note(context, "timeout"), i);
              const { nonce } = sent[sent.length - 1];
              if (r.replyAfter !== undefined) scheduler.after(usFromMs(r.replyAfter), () => requests.answer(r.to, nonce, { t: "pong", nonce }));
            });
          });
          while (scheduler.step());
          plan.forEach((r, i) => {
            // A reply at the timeout's own instant comes after it: the timer was set first.
            const answered = r.replyAfter !== undefined && r.replyAfter < 100;
            expect(outcomes.get(i)).toEqual([answered ? `reply ${r.replyAfter}` : "timeout"]);
          });
          expect(timeouts.rtt(1) === undefined).toBe(!plan.some((r) => r.to === 1 && r.replyAfter !== undefined && r.replyAfter < 100));
        },
      ),
    );
  });

  it("ignores a reply from another node than the one asked, and a late reply to a slot used again since", () => {
    const { scheduler, sent, requests } = setup(100);
    const seen: string[] = [];
    requests.send(1, ping, undefined, 44, "liveness", () => seen.push("first replied"), () => seen.push("first timed out"));
    const first = sent[0].nonce;
    expect(requests.answer(2, first, {})).toBe(false);
    scheduler.runUntil(usFromMs(200));
    requests.send(1, ping, undefined, 44, "liveness", () => seen.push("second replied"), () => seen.push("second timed out"));
    const second = sent[1].nonce;
    expect(second).not.toBe(first);
    expect(requests.answer(1, first, {})).toBe(false);
    expect(requests.answer(1, second, {})).toBe(true);
    expect(requests.answer(1, second, {})).toBe(false);
    while (scheduler.step());
    expect(seen).toEqual(["first timed out", "second replied"]);
  });

  it("makes each request's message with its nonce, passing the caller's argument", () => {
    const { sent, requests } = setup(100);
    const made: { nonce: number; arg: string }[] = [];
    const build = (nonce: number, arg: string): Ping => {
      made.push({ nonce, arg });
      return ping(nonce);
    };
    requests.send(1, build, "a", 44, "liveness", () => {}, () => {});
    requests.send(2, build, "b", 44, "liveness", () => {}, () => {});
    expect(made).toEqual([{ nonce: sent[0].nonce, arg: "a" }, { nonce: sent[1].nonce, arg: "b" }]);
    expect(sent[0].nonce).not.toBe(sent[1].nonce);
  });

  it("keeps nonces small integers, distinct for 32,768 requests in the same slot", () => {
    const { sent, requests } = setup(100);
    for (let i = 0; i < 40_000; i++) {
      requests.send(1, ping, undefined, 44, "liveness", () => {}, () => {});
      requests.answer(1, sent[i].nonce, {});
    }
    const nonces = sent.map((s) => s.nonce);
    expect(nonces.every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31)).toBe(true);
    expect(new Set(nonces.slice(0, 32_768)).size).toBe(32_768);
  });
});
