/**
 * The constants of fssim's space-time algorithms: puts up to `maxSizeBytes` for up to `maxTtlS`, a guaranteed
 * acceptance rate, and a disk of rate·maxTTL plus one maximum-size put — exactly enough that a maximum put is
 * always acceptable on an empty node, and that a node accepting maximum puts takes one per second forever.
 */
export interface SpaceTimeLimits {
  readonly rateBytesPerS: number;
  readonly maxTtlS: number;
  readonly maxSizeBytes: number;
  readonly capacityBytes: number;
}

export function spaceTimeLimits(overrides: Partial<Omit<SpaceTimeLimits, "capacityBytes">> & { capacityBytes?: number } = {}): SpaceTimeLimits {
  const rateBytesPerS = overrides.rateBytesPerS ?? 1024;
  const maxTtlS = overrides.maxTtlS ?? 3600;
  const maxSizeBytes = overrides.maxSizeBytes ?? 1024;
  const capacityBytes = overrides.capacityBytes ?? rateBytesPerS * maxTtlS + maxSizeBytes;
  for (const [k, v] of Object.entries({ rateBytesPerS, maxTtlS, maxSizeBytes, capacityBytes })) {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`space-time limits: ${k} must be a positive number, got ${v}`);
  }
  if (capacityBytes < maxSizeBytes + rateBytesPerS * maxTtlS) {
    throw new Error(`space-time limits: capacity ${capacityBytes} B is below rate·maxTTL + maxSize = ${rateBytesPerS * maxTtlS + maxSizeBytes} B, so a maximum put could never be accepted`);
  }
  return { rateBytesPerS, maxTtlS, maxSizeBytes, capacityBytes };
}

/** Space-time a put asks for: its finish-tag increment in the fair queue. */
export function spaceTimeOf(sizeBytes: number, ttlS: number): number {
  return sizeBytes * ttlS;
}

/** Is the put within the limits? Puts outside them are refused with CAP rather than asserted away. */
export function withinLimits(limits: SpaceTimeLimits, sizeBytes: number, ttlS: number): boolean {
  return sizeBytes > 0 && sizeBytes <= limits.maxSizeBytes && ttlS > 0 && ttlS <= limits.maxTtlS;
}
