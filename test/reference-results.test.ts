import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = new URL("..", import.meta.url).pathname;
const reproduce = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", ...args], { cwd: root, encoding: "utf8" });

/** The studies whose full results are committed under reference/. */
const studies = existsSync(join(root, "reference")) ? readdirSync(join(root, "reference")).filter((s) => existsSync(join(root, "reference", s, "report.md"))) : [];

describe("the committed study results", () => {
  it("exist for the USENIX'04 study", () => {
    expect(studies).toContain("usenix04");
  });

  for (const study of studies) {
    it(
      `rebuild ${study}'s committed report exactly, figures included, from its per-run results`,
      () => {
        const out = join(tempDir(), study);
        const r = reproduce([study, "--from", join("reference", study), "--out", out]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toContain(`rebuilt from reference/${study}`);
        const committed = join(root, "reference", study);
        expect(readFileSync(join(out, "report.md"), "utf8")).toBe(readFileSync(join(committed, "report.md"), "utf8"));
        const pngs = (dir: string) => readdirSync(join(dir, "figures")).filter((f) => f.endsWith(".png")).sort();
        expect(pngs(out)).toEqual(pngs(committed));
        for (const f of pngs(committed)) expect(readFileSync(join(out, "figures", f)).equals(readFileSync(join(committed, "figures", f))), f).toBe(true);
      },
      120_000,
    );
  }
});

describe("npm run reproduce -- --from", () => {
  it("says what it expected when the directory holds no study, with exit status 2", () => {
    const r = reproduce(["usenix04", "--from", "scenarios", "--out", join(tempDir(), "x")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--from: scenarios holds no experiment of this study (no <experiment>/sweep.json for any of 1-session-times");
    const out = join(tempDir(), "y");
    const missing = reproduce(["usenix04", "--from", "no/such/dir", "--out", out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--from: no/such/dir does not exist; expected a study's results directory");
    expect(existsSync(out)).toBe(false);
  });

  it("runs nothing, so --jobs and --only are usage errors", () => {
    const r = reproduce(["usenix04", "--from", "reference/usenix04", "--jobs", "2"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--from runs nothing: --jobs and --only do not apply");
  });
});
