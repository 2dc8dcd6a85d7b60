import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { PROTOCOLS } from "../protocols/index.js";
import { protocolSchemaSection } from "../sim/scenario/protocol-schema.js";
import { usageErrorsExit2 } from "./exit-on-input-error.js";

const program = new Command()
  .name("npm run schema --")
  .description("Regenerate the protocol section of scenarios/schema.json from the protocols' own option schemas (run after changing a protocol's options)")
  .option("--check", "change nothing: exit 1 if the file is out of date", false);
usageErrorsExit2(program).parse();
const { check } = program.opts<{ check: boolean }>();

const file = new URL("../scenarios/schema.json", import.meta.url);
const before = readFileSync(file, "utf8");
const schema = JSON.parse(before);
schema.properties.protocol = protocolSchemaSection(PROTOCOLS);
const after = `${JSON.stringify(schema, null, 2)}\n`;
if (after === before) process.stdout.write("scenarios/schema.json is up to date\n");
else if (check) {
  process.stdout.write("scenarios/schema.json is out of date: run npm run schema\n");
  process.exit(1);
} else {
  writeFileSync(file, after);
  process.stdout.write("scenarios/schema.json: protocol options regenerated\n");
}
