import { describe, expect, it } from "vitest";
import { kaplanMeier, majorityAgreement } from "./metrics.js";

describe("session statistics", () => {
  it("Kaplan–Meier equals the plain median when nothing is censored", () => {
    expect(kaplanMeier([5, 1, 3, 2, 4]).median).toBe(3);
    expect(kaplanMeier([5, 1, 3, 2, 4]).mean).toBeCloseTo(3, 12);
  });

  it("counts sessions still going at the end instead of dropping them", () => {
    // Completed: 1, 2; still going after 10 (three of them). Dropping the censored ones would give a median of 1.5.
    expect(kaplanMeier([1, 2, -10, -10, -10]).median).toBeNull();
    expect(kaplanMeier([1, 2, 3, -10, -10]).median).toBe(3);
  });
});

describe("probe-group majority", () => {
  it("counts the lookups agreeing with an owner returned by more than half the group", () => {
    expect(majorityAgreement(["a", "a", "b", "a", null])).toBe(3);
    expect(majorityAgreement(["a", "a", "b", "b"])).toBe(0);
    expect(majorityAgreement(["a", null, null])).toBe(0);
    expect(majorityAgreement(["a"])).toBe(1);
  });
});
