import { type Invariants, InvariantViolation } from "./invariants.js";

/**
 * Under --check every message is frozen as it is sent, down through the plain objects and arrays it holds. In the
 * simulator a message is one object shared by its sender and its receiver, so a node that changed a message after
 * sending it, or one it received, would change what the other sees, as no real network does; frozen, the change
 * fails at once, in strict mode, with a TypeError at the line that made it. Objects of a class, such as a
 * protocol's peers, are left alone: they keep their own invariants, and may cache (a peer works out its
 * identifier as a BigInt when first asked).
 */
export function freezeMessage(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  // Frozen before its parts are, so that a part reached twice (or a cycle) is frozen once.
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeMessage((value as Record<string, unknown>)[key]);
}

/** V8's words for a write to a frozen object in strict mode: assigning, adding or deleting a property. */
const FROZEN_WRITE = /^Cannot (assign to read only property|add property|delete property|define property)/;

/**
 * `error`, thrown by protocol code on node `node` at `nowUs`, as the run should report it: a write to a frozen
 * object (under --check, a message changed after it was sent) becomes an invariant violation naming the node and
 * the time, and the line of protocol code that made it; any other error is returned as it is.
 */
export function messageChanged(error: unknown, invariants: Invariants, nowUs: number, node: string): unknown {
  if (!(error instanceof TypeError) || !FROZEN_WRITE.test(error.message)) return error;
  const at = error.stack?.split("\n").find((line) => line.trimStart().startsWith("at "))?.trim();
  const violation = new InvariantViolation(
    `a message was changed after it was sent (${error.message}${at === undefined ? "" : `, ${at}`}): sender and receiver share one object, so copy a message rather than change it`,
    nowUs,
    invariants.seed,
    node,
  );
  violation.cause = error;
  return violation;
}
