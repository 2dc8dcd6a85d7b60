import type { ServiceClient } from "../../sim/runtime/client-application.js";
import type { Id } from "../../sim/runtime/ids.js";
import type { ValueRef } from "../../sim/runtime/storage-layer.js";
import { OPENDHT_LIKE_REPLIES } from "./in-memory-dht.js";
import type { Placemark, PutGet, PutStatus } from "./put-get.js";

/**
 * ReDiR's put/get over a client of the running DHT (its gateway, its tries). The storage layer answers a get with
 * every value at once; OpenDHT capped a reply at about 1 kB and continued by placemark, so replies are cut here as
 * the in-memory service cuts them (values in hash order, a placemark the last hash given), and each continuation is
 * another get through the gateway: ReDiR pays for a full tree node as it did on OpenDHT.
 */
export class GatewayPutGet implements PutGet {
  constructor(private readonly client: ServiceClient) {}

  put(key: Id, value: ValueRef, ttlMs: number, done: (status: PutStatus) => void): void {
    this.client.put(key, value.valueHash, value.size, ttlMs, done);
  }

  get(key: Id, maxValues: number, placemark: Placemark | null, done: (values: readonly number[] | null, next: Placemark | null) => void): void {
    this.client.get(key, (values) => {
      if (values === null) return done(null, null);
      const after = placemark?.resumeAfter ?? -1;
      const left = values.filter((h) => h > after).sort((a, b) => a - b);
      const cap = Math.min(maxValues, perReply());
      const page = left.slice(0, cap);
      done(page, left.length > cap ? { resumeAfter: page[page.length - 1] } : null);
    });
  }
}

/** Members per reply: ReDiR's 6-byte values under OpenDHT's cap (23). */
function perReply(): number {
  const { replyCapBytes, replyOverheadBytes } = OPENDHT_LIKE_REPLIES;
  return Math.max(1, Math.floor(replyCapBytes / (replyOverheadBytes + 6)));
}
