import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const json = (file: string) => JSON.parse(readFileSync(`${root}${file}`, "utf8"));

// npm warns at every `npm ci` about a dependency's install script that package.json's allowScripts does not
// decide on (and will refuse to run it by default). esbuild's (under tsx) puts its native binary in place.
describe("install scripts", () => {
  it("every dependency with an install script is decided on in package.json's allowScripts", () => {
    const lock = json("package-lock.json") as { packages: Record<string, { hasInstallScript?: boolean }> };
    const allowed = json("package.json").allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(Object.keys(allowed).some((k) => k === name || k.startsWith(`${name}@`)), name).toBe(true);
  });
});
