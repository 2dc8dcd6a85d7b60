/** A copy of `a` in a new typed array of the same kind, `size` long (the rest zeros). */
export function grown<T extends Float64Array | Int32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
