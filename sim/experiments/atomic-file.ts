import { renameSync, writeFileSync } from "node:fs";

/** Writes a file so that readers see the old content or the new, never a torn one: write aside, then rename. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
