import { idOfAddress } from "../../runtime/ids.js";
import { TupleStore } from "../../../storage/tuple-store.js";

/**
 * Memory of stored copies alone, in a process of its own (needs --expose-gc): `stores` tuple stores (one per node)
 * of `perStore` copies each, keys shared as they are with the messages that bring them. Bytes of heap and array
 * buffers per copy, the stores' fixed cost included.
 */
const [stores, perStore] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc as () => void;
const keys = Array.from({ length: stores * perStore }, (_, i) => idOfAddress(`key ${i}`));
const used = () => {
  // Twice: finalisers of the first collection (the key hashes' native objects) free more in the second.
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
// One store filled and dropped first, so that the code's own compilation is not counted.
const warm = new TupleStore();
warm.add({ key: keys[0], valueHash: 0, secretHash: 1, size: 1024, putTimeUs: 0, expiresUs: 3.6e9, remove: false }, 0);
const before = used();
const held: TupleStore[] = [];
for (let s = 0; s < stores; s++) {
  const store = new TupleStore();
  for (let i = 0; i < perStore; i++) {
    const k = s * perStore + i;
    store.add({ key: keys[k], valueHash: k, secretHash: k + 1, size: 1024, putTimeUs: 1000 * k, expiresUs: 3.6e9 + 1000 * k, remove: false }, 0);
  }
  held.push(store);
}
const after = used();
// The stores read after the measure, so that they (and the keys they share) are still reachable at it.
const copies = held.reduce((n, store) => n + store.size, 0);
process.stdout.write(`${JSON.stringify({ bytesPerCopy: (after - before) / copies })}\n`);
