import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { parseChurnTrace } from "./churn-trace.js";

function traceFile(text: string): string {
  const file = join(tempDir(), "trace.csv");
  writeFileSync(file, text);
  return file;
}

describe("churn traces", () => {
  it("reads time,node,event rows in seconds", () => {
    const events = parseChurnTrace(traceFile("time,node,event\n0,a,join\n0,b,join\n12.5,a,leave\n30,a,join\n"));
    expect(events).toEqual([
      { timeMs: 0, node: "a", event: "join" },
      { timeMs: 0, node: "b", event: "join" },
      { timeMs: 12_500, node: "a", event: "leave" },
      { timeMs: 30_000, node: "a", event: "join" },
    ]);
  });

  it.each([
    ["node,time,event\n", ":1: expected the header"],
    ["time,node,event\n5,a,join\n2,b,join\n", ":3: time 2 s is earlier than the line before"],
    ["time,node,event\n1,a,leave\n", ':2: node "a" leaves but is not present'],
    ["time,node,event\n1,a,join\n2,a,join\n", ':3: node "a" joins while already present'],
    ["time,node,event\nsoon,a,join\n", ':2: "soon" is not a time'],
    ["time,node,event\n1,a,crash\n", ':2: "crash" is not an event; expected join or leave'],
    ["time,node,event\n1,a\n", ":2: expected 3 fields"],
    ["time,node,event\n", "the trace has no events"],
  ])("rejects %j with the line and the problem", (text, message) => {
    expect(() => parseChurnTrace(traceFile(text))).toThrow(message);
  });
});

describe("p2psim churn files", () => {
  it("turn each node's start state and flip times into joins and leaves, in time order", async () => {
    const { parseP2psimChurnFile } = await import("./churn-trace.js");
    const events = parseP2psimChurnFile(traceFile("# ip state times\n1 alive 5000 9000\n2 dead 3000\n3 alive\n"));
    expect(events).toEqual([
      { timeMs: 0, node: "1", event: "join" },
      { timeMs: 0, node: "3", event: "join" },
      { timeMs: 3000, node: "2", event: "join" },
      { timeMs: 5000, node: "1", event: "leave" },
      { timeMs: 9000, node: "1", event: "join" },
    ]);
  });

  it.each([
    ["1 sleeping 10\n", ':1: "sleeping" is not a state'],
    ["1 alive 10 5\n", ":1: time 5 ms is earlier than the one before it"],
    ["1 alive x\n", ':1: "x" is not a time'],
    ["1 alive\n1 dead 5\n", ':2: node "1" has a second line'],
    ["2 dead\n", "no node that is ever alive"],
  ])("reject %j with the line and the problem", async (text, message) => {
    const { parseP2psimChurnFile } = await import("./churn-trace.js");
    expect(() => parseP2psimChurnFile(traceFile(text))).toThrow(message);
  });
});
