/** Reading and writing values at dotted paths ("churn.tMed") and rendering JSON Pointer paths for errors. */

export function setAtPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  if (keys.some((k) => k === "")) throw new Error(`"${dotted}" is not a valid path; expected keys separated by dots`);
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== "object" || next === null || Array.isArray(next)) {
      throw new Error(`cannot set "${dotted}": "${key}" is not an object`);
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** "--set key=value": the value is JSON when it parses as JSON (numbers, booleans, objects), else a string. */
export function parseAssignment(text: string): { path: string; value: unknown } {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`"${text}" is not an assignment; expected path=value, e.g. churn.tMed=23m`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string such as 23m or reactive.
  }
  return { path: text.slice(0, eq), value };
}
