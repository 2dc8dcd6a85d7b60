import { describe, expect, it } from "vitest";
import { InMemoryDht } from "./in-memory-dht.js";
import type { Placemark } from "./put-get.js";
import { VirtualTimers } from "./virtual-timers.js";

const KEY = "0000000000000000000000000000000000000001";
const value = (h: number) => ({ valueHash: h, size: 6, secretHash: 0, client: -1 });

function getAll(dht: InMemoryDht, timers: VirtualTimers): number[][] {
  const pages: number[][] = [];
  const next = (placemark: Placemark | null): void =>
    dht.get(KEY, 0x7fffffff, placemark, (values, more) => {
      pages.push([...(values ?? [])]);
      if (more !== null) next(more);
    });
  next(null);
  timers.runToIdle();
  return pages;
}

describe("the in-memory put/get service", () => {
  it("caps a reply at 23 six-byte values (1063 B at 45 B each) and continues by placemark", () => {
    const timers = new VirtualTimers();
    const dht = new InMemoryDht(timers);
    for (let h = 1; h <= 50; h++) dht.put(KEY, value(h), 1000, () => {});
    timers.runToIdle();
    const pages = getAll(dht, timers);
    expect(pages.map((p) => p.length)).toEqual([23, 23, 4]);
    expect(pages.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("forgets a value at its TTL, and a re-put of the same value extends it", () => {
    const timers = new VirtualTimers();
    const dht = new InMemoryDht(timers, { delayMs: 5 });
    dht.put(KEY, value(1), 100, () => {});
    dht.put(KEY, value(2), 100, () => {});
    timers.runUntil(50);
    dht.put(KEY, value(2), 100, () => {});
    timers.runUntil(120);
    expect(dht.liveHashes(KEY, timers.now())).toEqual([2]);
    timers.runUntil(200);
    expect(dht.liveHashes(KEY, timers.now())).toEqual([]);
  });

  it("replies after its delay, with the status it is told to give", () => {
    const timers = new VirtualTimers();
    const dht = new InMemoryDht(timers, { delayMs: 30, putStatus: () => "again" });
    let at = -1;
    dht.put(KEY, value(1), 100, (status) => {
      expect(status).toBe("again");
      at = timers.now();
    });
    timers.runToIdle();
    expect(at).toBe(30);
    expect(dht.liveHashes(KEY, at)).toEqual([]);
  });
});
