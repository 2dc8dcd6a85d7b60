import type { Id } from "../../sim/runtime/ids.js";

/**
 * Where a ReDiR tree node lives in the DHT. At level l the key space is cut into b^l partitions; the tree node
 * for a key at level l is the partition holding it, stored under (partition's low end + namespace / b^l). This
 * is Bamboo's RedirClient rule (the IPTPS'04 paper's k = P + ⌊k(P−Q)/K⌋): the namespace scaled to the
 * partition's width, so different namespaces put their tree nodes at different points of the same partition.
 * With b not a power of two b^l does not divide 2^160; the last partition then takes the remainder.
 */

const RING = 1n << 160n;

export function idToBig(id: Id): bigint {
  return BigInt("0x" + id);
}

export function bigToId(n: bigint): Id {
  return n.toString(16).padStart(40, "0");
}

/** Index of the partition holding `key` at `level` (0 … b^level − 1). */
export function partitionOf(key: bigint, level: number, branching: number): bigint {
  const partitions = BigInt(branching) ** BigInt(level);
  const index = key / (RING / partitions);
  return index < partitions ? index : partitions - 1n;
}

/** The DHT key of the tree node that covers `key` at `level` in `namespace`. */
export function treeNodeKey(namespace: bigint, key: bigint, level: number, branching: number): Id {
  const width = RING / BigInt(branching) ** BigInt(level);
  // namespace·width / 2^160 is Bamboo's namespace / 2^l when b^l divides the ring, and stays below the width when
  // it does not (namespace / b^l could reach the next partition there).
  return bigToId(partitionOf(key, level, branching) * width + (namespace * width) / RING);
}
