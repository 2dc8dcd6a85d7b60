import { describe, expect, it } from "vitest";
import { replayCommand } from "./replay.js";

describe("replay command", () => {
  it("pins the seed, turns checks on and quotes what the shell would split", () => {
    expect(replayCommand(["scenarios/kazaa.json", "--set", "churn.tMed=23m", "--force"], 7)).toBe(
      "npm run sim -- scenarios/kazaa.json --set churn.tMed=23m --seed 7 --check",
    );
    expect(replayCommand(["my scenario.json", "--seed", "3", "--check"], 3)).toBe("npm run sim -- 'my scenario.json' --seed 3 --check");
  });
});
