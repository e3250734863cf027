import { expect, test } from "vitest";
import {
  aidHref,
  firstOpenPage,
  hiddenAnswers,
  pageAfter,
  parseAidQuery,
  previousStep,
  progressCaption,
  questionCount,
} from "#app/routes/tools.is-it-stalking/query.ts";

const parse = (search: string) => parseAidQuery(new URLSearchParams(search));

test("parseAidQuery: answers, page and navigation flags come out typed; no parameters is the start page", () => {
  expect(parse("")).toEqual({ ok: true, query: { answers: {}, returnToCheck: false, empty: true } });
  const parsed = parse("occasions=two-or-more&behaviours=following&behaviours=following&step=fixation&return=check");
  expect(parsed).toEqual({
    ok: true,
    query: {
      answers: { occasions: "two-or-more", behaviours: ["following"] },
      page: "fixation",
      returnToCheck: true,
      empty: false,
    },
  });
  // One checkbox arrives as a single value.
  expect(parse("behaviours=none")).toMatchObject({ ok: true, query: { answers: { behaviours: ["none"] } } });
});

test("parseAidQuery: values the forms cannot send are problems with a message, not exceptions", () => {
  expect(parse("occasions=sometimes")).toMatchObject({ ok: false, message: expect.stringMatching(/“sometimes” is not one of the answers/) });
  expect(parse("occasions=one&occasions=two-or-more")).toMatchObject({ ok: false, message: expect.stringMatching(/not several/) });
  expect(parse("utm_source=mail")).toMatchObject({ ok: false, message: expect.stringMatching(/“utm_source”/) });
  expect(parse("step=banana")).toMatchObject({ ok: false, message: expect.stringMatching(/not a page/) });
  expect(parse("answered=banana")).toMatchObject({ ok: false });
  expect(parse("return=result")).toMatchObject({ ok: false });
  expect(parse("behaviours=none&behaviours=following&step=fixation")).toMatchObject({ ok: false, message: expect.stringMatching(/None of these/) });
  // ...but on the question just answered it is the user's to fix at the field.
  expect(parse("behaviours=none&behaviours=following&answered=behaviours")).toMatchObject({ ok: true });
  // Remix's single-fetch marker is not ours to judge.
  expect(parse("occasions=one&_routes=routes%2Ftools.is-it-stalking")).toMatchObject({ ok: true });
});

test("aidHref: answers in question order, then step and return; hiddenAnswers leaves out the question on the page", () => {
  const answers = { relationship: "stranger", occasions: "two-or-more", behaviours: ["following", "contacting"] };
  expect(aidHref(answers, "fixation")).toBe(
    "/tools/is-it-stalking?occasions=two-or-more&relationship=stranger&behaviours=following&behaviours=contacting&step=fixation",
  );
  expect(aidHref({})).toBe("/tools/is-it-stalking");
  expect(aidHref({ occasions: "one" }, "check", { returnToCheck: true })).toBe("/tools/is-it-stalking?occasions=one&step=check");
  expect(aidHref({ occasions: "one" }, "relationship", { returnToCheck: true })).toBe(
    "/tools/is-it-stalking?occasions=one&step=relationship&return=check",
  );
  expect(hiddenAnswers(answers, "behaviours")).toEqual([
    ["occasions", "two-or-more"],
    ["relationship", "stranger"],
  ]);
});

test("firstOpenPage: a page whose earlier questions are unanswered, or that does not apply, gives way", () => {
  expect(firstOpenPage({}, "fixation")).toBe("occasions");
  expect(firstOpenPage({ occasions: "one", relationship: "stranger" }, "fixation")).toBe("messageKind");
  expect(firstOpenPage({ occasions: "one", relationship: "stranger" }, "result")).toBe("messageKind");
  expect(firstOpenPage({ occasions: "one", relationship: "stranger", messageKind: "none" }, "result")).toBe("result");
  // Going back to an answered question is allowed.
  expect(firstOpenPage({ occasions: "one", relationship: "stranger", messageKind: "none" }, "occasions")).toBe("occasions");
});

test("pageAfter: the next applicable question in order; from a Change link, the first gap or check", () => {
  const complete = { occasions: "one", relationship: "stranger", messageKind: "none" };
  expect(pageAfter(complete, "occasions", false)).toBe("relationship");
  expect(pageAfter(complete, "messageKind", false)).toBe("check");
  expect(pageAfter(complete, "occasions", true)).toBe("check");
  // Changed to a course of conduct: new questions open, and the old message answer no longer applies.
  const changed = { ...complete, occasions: "two-or-more" };
  expect(pageAfter(changed, "occasions", true)).toBe("behaviours");
  expect(pageAfter(changed, "occasions", false)).toBe("relationship");
});

test("previousStep skips questions that do not apply", () => {
  expect(previousStep({}, "occasions")).toBeNull();
  expect(previousStep({ occasions: "one", relationship: "stranger" }, "messageKind")).toBe("relationship");
});

test("progress: exact once the path is known, 'about' the most while it is not", () => {
  expect(questionCount({})).toEqual({ min: 3, max: 8 });
  expect(progressCaption({}, "occasions").caption).toBe("Question 1 of about 8");
  expect(progressCaption({ occasions: "one" }, "relationship").caption).toBe("Question 2 of 3");
  const course = { occasions: "two-or-more", relationship: "stranger", behaviours: ["following"], fixation: "yes" };
  expect(progressCaption(course, "fearOfViolenceTwice")).toEqual({ number: 5, caption: "Question 5 of about 8" });
  expect(progressCaption({ ...course, fearOfViolenceTwice: "yes" }, "seriousAlarmOrDistress").caption).toBe("Question 6 of 6");
  expect(progressCaption({ ...course, relationship: "ex-partner", fearOfViolenceTwice: "yes" }, "seriousAlarmOrDistress").caption).toBe(
    "Question 6 of 7",
  );
});

test("issue 16 steps: 'once each to two or more people' and fixation 'not known' are answers the address carries", () => {
  expect(parse("occasions=once-each-to-several&fixation=not-known&step=relationship")).toMatchObject({
    ok: true,
    query: { answers: { occasions: "once-each-to-several", fixation: "not-known" } },
  });
  // Once each to several people is judged as single incidents: three questions, no course-of-conduct ones.
  expect(progressCaption({ occasions: "once-each-to-several" }, "relationship").caption).toBe("Question 2 of 3");
  expect(firstOpenPage({ occasions: "once-each-to-several", relationship: "acquaintance" }, "fixation")).toBe("messageKind");
});

test("issue 16 steps: an alarming course of conduct asks whether it could be lawful or reasonable before the result", () => {
  const alarming = {
    occasions: "two-or-more",
    relationship: "neighbour",
    behaviours: ["turning-up", "contacting"],
    fixation: "no",
    fearOfViolenceTwice: "no",
    seriousAlarmOrDistress: "no",
    alarmingOrDistressing: "yes",
  };
  expect(pageAfter(alarming, "alarmingOrDistressing", false)).toBe("couldBeReasonable");
  expect(firstOpenPage(alarming, "result")).toBe("couldBeReasonable");
  expect(progressCaption(alarming, "couldBeReasonable").caption).toBe("Question 8 of 8");
  expect(pageAfter({ ...alarming, couldBeReasonable: "no" }, "couldBeReasonable", false)).toBe("check");
  // With fear of violence twice, the question does not apply (s.4 has its own defences).
  expect(firstOpenPage({ ...alarming, fearOfViolenceTwice: "yes", alarmingOrDistressing: undefined }, "couldBeReasonable")).not.toBe(
    "couldBeReasonable",
  );
});
