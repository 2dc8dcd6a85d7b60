import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { InputError } from "../scenario/errors.js";
import { claimForResume, inspect, MARKER, resultKind, writeMarker } from "./result-marker.js";

const dir = (files: Record<string, string>) => {
  const root = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    if (path.endsWith("/")) mkdirSync(join(root, path));
    else writeFileSync(join(root, path), content);
  }
  return root;
};

describe("results directories", () => {
  it("are recognised by their marker, or by the shapes written before it existed", () => {
    const marked = dir({});
    writeMarker(marked, "sweep");
    expect(resultKind(marked)).toBe("sweep");
    expect(resultKind(dir({ "scenario.json": "{}", "summary.json": "{}", "lookups.csv": "" }))).toBe("run");
    expect(resultKind(dir({ "sweep.json": "{}", "runs/": "" }))).toBe("sweep");
    expect(resultKind(dir({ "6-headline/sweep.json": "{}", "6-headline/runs/": "", "report.md": "", "timing.json": "{}" }))).toBe("study");
  });

  it("are not recognised from a partial likeness", () => {
    expect(resultKind(dir({ "summary.json": "{}" }))).toBe(null);
    expect(resultKind(dir({ "sweep.json": "{}" }))).toBe(null);
    // A sweep beside the user's own files is not a study.
    expect(resultKind(dir({ "6-headline/sweep.json": "{}", "6-headline/runs/": "", "thesis.tex": "" }))).toBe(null);
    expect(resultKind(dir({ "report.md": "" }))).toBe(null);
    expect(resultKind(dir({ [MARKER]: '{"kind":"thesis"}' }))).toBe(null);
  });

  it("are claimed for resuming only when new, empty or of the same kind; anything else is refused untouched", () => {
    const root = tempDir();
    claimForResume(join(root, "new"), "sweep");
    expect(inspect(join(root, "new"))).toEqual({ is: "result", kind: "sweep" });
    const empty = dir({});
    claimForResume(empty, "study");
    expect(resultKind(empty)).toBe("study");
    const legacy = dir({ "sweep.json": "{}", "runs/": "" });
    claimForResume(legacy, "sweep");
    expect(JSON.parse(readFileSync(join(legacy, MARKER), "utf8")).kind).toBe("sweep");

    const foreign = dir({ "notes.txt": "mine" });
    expect(() => claimForResume(foreign, "sweep")).toThrow(InputError);
    expect(() => claimForResume(foreign, "sweep")).toThrow(`${foreign}: is not empty and not a churnsim sweep directory`);
    expect(readdirSync(foreign)).toEqual(["notes.txt"]);
    const file = join(dir({ "out": "mine" }), "out");
    expect(() => claimForResume(file, "sweep")).toThrow(`${file}: is a file, not a directory`);
    expect(readFileSync(file, "utf8")).toBe("mine");
    const run = dir({ "scenario.json": "{}", "summary.json": "{}" });
    expect(() => claimForResume(run, "sweep")).toThrow("holds a churnsim run, not a churnsim sweep");
    expect(readdirSync(run).sort()).toEqual(["scenario.json", "summary.json"]);
  });
});
