import { expect, test } from "vitest";
import { checkAccuracy } from "#app/content/accuracy.server.ts";

const ids = (text: string, kind: "mdx" | "yaml" = "mdx") =>
  checkAccuracy(text, kind).map((p) => p.message.replace(/^accuracy \(([^)]+)\).*$/, "$1"));

test("course of conduct: 'once each to two people' is caught unless tied to s.1(1A) or denied", () => {
  expect(
    ids(`Both need a course of conduct: conduct on at least two occasions in relation to one person, or on at
least one occasion in relation to each of two or more people (s.7).`),
  ).toEqual(["course-of-conduct-two-people"]);
  expect(ids("That limb, once towards each of two or more people, is a course of conduct only for s.1(1A).")).toEqual([]);
  expect(ids("Doing something once to each of two people is not a course of conduct for stalking.")).toEqual([]);
});

test("s.68 must carry its commencement; s.181 must not say 'the recipient'", () => {
  expect(ids("The Domestic Abuse Act 2021, s.68, removed the living-together requirement.")).toEqual(["s68-commencement"]);
  expect(ids("The Domestic Abuse Act 2021 s.68 (in force 5 April 2023) removed it.")).toEqual([]);
  expect(ids("A threat of death under s.181, intending the recipient to fear it.")).toEqual(["s181-recipient"]);
  expect(ids("s.181: intending an individual encountering the message to fear it.")).toEqual([]);
});

test("counting rules: 2018 is history, and the 2020 former-partner rule is about recording", () => {
  expect(ids("That offence is recorded in addition to the most serious other offence.")).toEqual(["hocr-2018-as-current"]);
  expect(ids("That offence was recorded in addition to the most serious other offence.")).toEqual([]);
  expect(ids("Since April 2020 an ex-partner's course of conduct is stalking.")).toEqual(["hocr-2020-as-law"]);
  expect(ids("Since April 2020 an ex-partner's course of conduct is recorded as stalking.")).toEqual([]);
});

test("quiz banks are checked question by question, with the line the question starts on", () => {
  const yaml = [
    "questions:",
    "  - id: a",
    "    explanation: Domestic Abuse Act 2021 s.68 applies.",
    "  - id: b",
    "    explanation: In force 5 April 2023.",
  ].join("\n");
  expect(checkAccuracy(yaml, "yaml")).toEqual([{ line: 2, message: expect.stringMatching(/^accuracy \(s68-commencement\)/) }]);
});

test("the corrections FACTS.md lists are still caught", () => {
  expect(ids("About 1 in 10 men.")).toEqual(["one-in-ten-men"]);
  expect(ids("Stalking became 8Q in 2018.")).toEqual(["8q-2018"]);
});
