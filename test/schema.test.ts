import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { PROTOCOLS } from "../protocols/index.js";
import { protocolSchemaSection } from "../sim/scenario/protocol-schema.js";

const root = new URL("..", import.meta.url).pathname;
const schema = JSON.parse(readFileSync(join(root, "scenarios/schema.json"), "utf8"));

/** The schema as an editor reads it: protocol options included, nothing filled in. */
const editor = () => new Ajv({ strict: false, allErrors: true }).compile(schema);

describe("scenarios/schema.json", () => {
  it("describes every protocol's options, generated from their own schemas (npm run schema)", () => {
    expect(schema.properties.protocol).toEqual(protocolSchemaSection(PROTOCOLS));
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/schema.ts", "--check"], { cwd: root, encoding: "utf8" });
    expect(r.stdout).toBe("scenarios/schema.json is up to date\n");
    expect(r.status).toBe(0);
  });

  it("accepts every shipped single-run scenario as an editor checks it", () => {
    const validate = editor();
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".json") && f !== "schema.json");
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(validate(JSON.parse(readFileSync(join(root, "scenarios", f), "utf8"))), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });

  it("lets an editor flag a protocol option that is another protocol's, or a duration without its unit", () => {
    const validate = editor();
    const kazaa = JSON.parse(readFileSync(join(root, "scenarios/kazaa.json"), "utf8"));
    expect(validate({ ...kazaa, protocol: { name: "kademlia", recovery: "reactive" } })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === "additionalProperties" && e.params.additionalProperty === "recovery")).toBe(true);
    expect(validate({ ...kazaa, protocol: { name: "bamboo", pingPeriod: 20 } })).toBe(false);
    expect(validate({ ...kazaa, protocol: { name: "bamboo", pingPeriod: "20s", recovery: "reactive" } })).toBe(true);
  });
});
