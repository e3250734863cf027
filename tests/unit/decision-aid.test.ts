import { expect, test } from "vitest";
import {
  DECISION_STEPS,
  DecisionFactsSchema,
  applicableSteps,
  decide,
  nextStep,
  pruneAnswers,
  type DecisionAnswers,
  type DecisionFactsInput,
} from "#app/utils/decision-aid.ts";
import { OFFENCES, type Offence } from "#app/utils/offences.ts";

type Row = {
  name: string;
  facts: DecisionFactsInput;
  offence: Offence;
  /** Text that must appear somewhere in the outcome's reasons. */
  reason?: RegExp;
  /** Text that must appear in toRecord. */
  record?: RegExp;
  /** Text that must appear in alsoConsider. */
  consider?: RegExp;
  /** Text that must appear in safeguarding. */
  safeguarding?: RegExp;
  /** Text that must NOT appear anywhere in the outcome. */
  absent?: RegExp;
};

// One row per path through decide(). Facts are written the way quiz authors write them.
const rows: Row[] = [
  // ---- one occasion: only a message offence can apply
  {
    name: "single threat of serious harm: OSA s.181, not MCA, with threats to kill and s.127(1) named",
    facts: { occasions: "one", relationship: "stranger", messageKind: "threat" },
    offence: "threatening-communications",
    reason: /intending an individual encountering the message to fear.*Online Safety Act 2023 s\.181/,
    consider: /Offences Against the Person Act 1861 s\.16[\s\S]*Communications Act 2003 s\.127\(1\) \(a message of a menacing character/,
    absent: /intending the recipient/,
  },
  {
    name: "single grossly offensive message sent to distress: MCA s.1",
    facts: { occasions: "one", relationship: "unknown", messageKind: "grossly-offensive" },
    offence: "malicious-communications",
    reason: /Malicious Communications Act 1988 s\.1/,
    consider: /Communications Act 2003 s\.127/,
  },
  {
    name: "single false message: no vocabulary key, so not-a-crime naming OSA s.179",
    facts: { occasions: "one", relationship: "acquaintance", messageKind: "false" },
    offence: "not-a-crime",
    reason: /s\.179/,
    consider: /False communications, Online Safety Act 2023 s\.179/,
    absent: /^Malicious Communications Act 1988 s\.1/,
  },
  {
    name: "single polite unwanted message: not a crime",
    facts: { occasions: "one", relationship: "colleague" },
    offence: "not-a-crime",
    reason: /at least two occasions \(PHA s\.7\)/,
    safeguarding: /S-DASH/,
  },
  {
    name: "single message: course-of-conduct answers cannot make it stalking",
    facts: {
      occasions: "one",
      relationship: "ex-partner",
      fixation: true,
      fearOfViolenceTwice: true,
      behaviours: ["following"],
      alarmingOrDistressing: true,
    },
    offence: "not-a-crime",
  },
  // ---- course of conduct: stalking
  {
    name: "exactly two occasions, fixation, alarming: stalking s.2A",
    facts: {
      occasions: "two-or-more",
      relationship: "acquaintance",
      behaviours: ["contacting"],
      fixation: true,
      alarmingOrDistressing: true,
    },
    offence: "stalking-s2a",
    reason: /fixation or obsession is what distinguishes stalking/,
    record: /8Q/,
    safeguarding: /0808 802 0300/,
  },
  {
    name: "loitering without stated fixation: acts associated with stalking, s.2A",
    facts: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: ["loitering"],
      alarmingOrDistressing: true,
    },
    offence: "stalking-s2a",
    reason: /\(e\) loitering/,
    safeguarding: /Stalking Protection Order/,
  },
  {
    name: "unwanted gifts (not in the s.2A(3) list) with fixation: stalking",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["unwanted-gifts"],
      fixation: true,
      alarmingOrDistressing: true,
    },
    offence: "stalking-s2a",
    reason: /not exhaustive/,
  },
  {
    name: "unwanted gifts and turning up, fixation not known: harassment, saying what to ask the victim",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["unwanted-gifts", "turning-up"],
      fixation: "not-known",
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    reason: /ask the victim\. Does the person keep coming back/,
    consider: /Reconsider stalking/,
  },
  {
    name: "loitering, fixation answered no: harassment, with when to reconsider",
    facts: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: ["loitering"],
      fixation: "no",
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    reason: /not fixated on or obsessed with the victim/,
    consider: /Reconsider stalking .* after the victim asks it to stop/,
    absent: /ask the victim\. Does/,
  },
  // ---- the cases a careful officer meets (issue 16): none is stalking
  {
    name: "neighbour in a hedge dispute, knocking and notes, no fixation: harassment s.2, not s.2A",
    facts: {
      occasions: "two-or-more",
      relationship: "neighbour",
      behaviours: ["turning-up", "contacting"],
      fixation: "no",
      alarmingOrDistressing: true,
      couldBeReasonable: false,
    },
    offence: "harassment-s2",
    consider: /grievance is settled/,
  },
  {
    name: "neighbour in a hedge dispute, fixation not known: still harassment, and the outcome says what to ask",
    facts: {
      occasions: "two-or-more",
      relationship: "neighbour",
      behaviours: ["turning-up", "contacting"],
      fixation: "not-known",
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    reason: /Fixation is not known/,
  },
  {
    name: "disgruntled customer posting about a builder in a local group, no fixation: harassment s.2, not s.2A",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["publishing"],
      fixation: "no",
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    reason: /\(c\) publishing\), but on your answer the person is not fixated/,
  },
  {
    name: "disgruntled customer whose posts could be a fair review: not a crime (PHA s.1(3))",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["publishing"],
      fixation: "no",
      alarmingOrDistressing: true,
      couldBeReasonable: true,
    },
    offence: "not-a-crime",
    reason: /PHA s\.1\(3\)/,
  },
  {
    name: "journalist seeking comment at the door, could be reasonable: not a crime, even with fixation not known",
    facts: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: ["turning-up", "loitering"],
      fixation: "not-known",
      alarmingOrDistressing: true,
      couldBeReasonable: true,
    },
    offence: "not-a-crime",
    reason: /for the person to show and for a court to decide/,
    consider: /stop being reasonable/,
  },
  {
    name: "reasonable is not weighed once fear of violence twice is stated (s.4 has its own defences)",
    facts: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: ["abuse-in-person"],
      fixation: "no",
      fearOfViolenceTwice: true,
      couldBeReasonable: true,
    },
    offence: "harassment-s4",
  },
  // ---- once each to two or more people: not a course of conduct for one victim (PHA s.7(3))
  {
    name: "one abusive visit to each of two sisters: not a course of conduct, not harassment",
    facts: {
      occasions: "once-each-to-several",
      relationship: "acquaintance",
      behaviours: ["abuse-in-person"],
      fixation: true,
      alarmingOrDistressing: true,
    },
    offence: "not-a-crime",
    reason: /serves only s\.1\(1A\)/,
    consider: /PHA s\.1\(1A\)/,
    absent: /^Harassment/,
  },
  {
    name: "one threatening message to each of two people: threatening communications, judged message by message",
    facts: { occasions: "once-each-to-several", relationship: "stranger", messageKind: "threat" },
    offence: "threatening-communications",
    reason: /not a course of conduct for harassment or stalking/,
  },
  {
    name: "stalking plus fear of violence twice: s.4A",
    facts: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: ["following", "watching-or-spying"],
      fixation: true,
      fearOfViolenceTwice: true,
    },
    offence: "stalking-s4a",
    reason: /PHA s\.4A/,
  },
  {
    name: "stalking plus serious alarm or distress with substantial adverse effect: s.4A",
    facts: {
      occasions: "two-or-more",
      relationship: "colleague",
      behaviours: ["monitoring"],
      seriousAlarmOrDistress: true,
    },
    offence: "stalking-s4a",
    reason: /substantial adverse effect/,
  },
  {
    name: "colleague answering yes to controlling: not personally connected, so stalking not CCB",
    facts: {
      occasions: "two-or-more",
      relationship: "colleague",
      behaviours: ["contacting"],
      fixation: true,
      seriousAlarmOrDistress: true,
      controllingOrCoercive: true,
    },
    offence: "stalking-s4a",
  },
  // ---- ex-partners: the offence is what the facts disclose; HOCR 2020 is a recording rule
  {
    name: "ex-partner, contact only, no fixation: harassment on the facts; the HOCR 2020 rule only in what to record",
    facts: {
      occasions: "two-or-more",
      relationship: "ex-partner",
      behaviours: ["contacting"],
      fixation: false,
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    record: /recording rule, not the law of the offence.*unless police are satisfied it is harassment only/,
    absent: /^The suspect is an ex-partner: HOCR/,
  },
  {
    name: "ex-partner, abuse in person, fear twice, no fixation: s.4 on the facts, not stalking by presumption",
    facts: {
      occasions: "two-or-more",
      relationship: "ex-partner",
      behaviours: ["abuse-in-person"],
      fixation: false,
      fearOfViolenceTwice: true,
    },
    offence: "harassment-s4",
    record: /April 2020/,
  },
  {
    name: "ex-partner, two reasonable messages, not alarming: not a crime",
    facts: { occasions: "two-or-more", relationship: "ex-partner", behaviours: ["contacting"] },
    offence: "not-a-crime",
  },
  // ---- harassment without stalking indicators
  {
    name: "contact only, stranger, no fixation: harassment s.2 with think-stalking-first caveat",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["contacting"],
      alarmingOrDistressing: true,
    },
    offence: "harassment-s2",
    reason: /only acts associated with stalking are ones that are part of much harassment \(\(b\) contacting\)/,
    record: /8L/,
  },
  {
    name: "neighbour abuse face to face, serious distress but no stalking: s.2 (s.4A needs stalking)",
    facts: {
      occasions: "two-or-more",
      relationship: "neighbour",
      behaviours: ["abuse-in-person"],
      seriousAlarmOrDistress: true,
    },
    offence: "harassment-s2",
    reason: /applies only to stalking/,
  },
  {
    name: "threats causing fear of violence twice, no stalking indicators: s.4",
    facts: {
      occasions: "two-or-more",
      relationship: "neighbour",
      behaviours: ["threats", "abuse-in-person"],
      fearOfViolenceTwice: true,
    },
    offence: "harassment-s4",
    reason: /PHA s\.4 /,
    consider: /OSA 2023 s\.181/,
  },
  {
    name: "exactly two occasions, fear of violence on both: s.4",
    facts: {
      occasions: "two-or-more",
      relationship: "customer-or-client",
      behaviours: ["threats"],
      fearOfViolenceTwice: true,
    },
    offence: "harassment-s4",
  },
  // ---- controlling or coercive behaviour
  {
    name: "partner, controlling, serious alarm: CCB",
    facts: {
      occasions: "two-or-more",
      relationship: "partner",
      behaviours: ["other"],
      seriousAlarmOrDistress: true,
      controllingOrCoercive: true,
    },
    offence: "controlling-coercive",
    reason: /Serious Crime Act 2015 s\.76/,
  },
  {
    name: "ex-partner, controlling with fear twice and monitoring: CCB first, stalking named as overlap",
    facts: {
      occasions: "two-or-more",
      relationship: "ex-partner",
      behaviours: ["monitoring", "contacting"],
      fearOfViolenceTwice: true,
      controllingOrCoercive: true,
    },
    offence: "controlling-coercive",
    reason: /Domestic Abuse Act 2021 s\.68 \(in force 5 April 2023\).*on or after that date/,
    consider: /Stalking or Harassment/,
    record: /April 2020/,
  },
  {
    name: "family member, controlling but no serious effect: not CCB, falls to harassment",
    facts: {
      occasions: "two-or-more",
      relationship: "family-member",
      behaviours: ["contacting"],
      alarmingOrDistressing: true,
      controllingOrCoercive: true,
    },
    offence: "harassment-s2",
  },
  // ---- course of conduct that is not harassment: a message may still be an offence
  {
    name: "two messages, not harassing, one a threat of serious harm: OSA s.181",
    facts: { occasions: "two-or-more", relationship: "unknown", behaviours: ["contacting"], messageKind: "threat" },
    offence: "threatening-communications",
    absent: /One occasion is not a course of conduct/,
  },
  {
    name: "two messages, not harassing, one grossly offensive: MCA s.1",
    facts: {
      occasions: "two-or-more",
      relationship: "unknown",
      behaviours: ["contacting"],
      messageKind: "grossly-offensive",
    },
    offence: "malicious-communications",
  },
  {
    name: "two reasonable debt letters: not a crime",
    facts: { occasions: "two-or-more", relationship: "customer-or-client", behaviours: ["contacting"] },
    offence: "not-a-crime",
    reason: /would not think the conduct amounts to harassment/,
  },
];

test.each(rows)("decide: $name", (row) => {
  const result = decide(DecisionFactsSchema.parse(row.facts));
  expect(result.offence).toBe(row.offence);
  expect(result.reasons.length).toBeGreaterThan(0);
  expect(result.caveats.join("\n")).toMatch(/not legal advice/);
  expect(result.safeguarding.join("\n")).toMatch(/Safeguarding comes before/);
  if (row.reason) expect(result.reasons.join("\n")).toMatch(row.reason);
  if (row.record) expect(result.toRecord.join("\n")).toMatch(row.record);
  if (row.consider) expect(result.alsoConsider.join("\n")).toMatch(row.consider);
  if (row.safeguarding) expect(result.safeguarding.join("\n")).toMatch(row.safeguarding);
  if (row.absent) {
    const everything = [...result.reasons, ...result.alsoConsider, ...result.toRecord, ...result.safeguarding];
    for (const line of everything) expect(line).not.toMatch(row.absent);
  }
});

test("decide: every offence in the vocabulary is reachable from the rows above", () => {
  const reached = new Set(rows.map((row) => decide(DecisionFactsSchema.parse(row.facts)).offence));
  expect([...reached].sort()).toEqual([...OFFENCES].sort());
});

test("decide: threats are never classified as malicious communications (OSA 2023 since 31 January 2024)", () => {
  for (const occasions of ["one", "two-or-more"] as const) {
    const result = decide(DecisionFactsSchema.parse({ occasions, messageKind: "threat" }));
    expect(result.offence).toBe("threatening-communications");
    expect(result.reasons.join(" ")).toMatch(/no longer Malicious Communications Act offences/);
  }
});

test("decide: stalking outcomes give the helpline, S-DASH and SPO; a single polite message does not suggest an SPO", () => {
  const stalking = decide(
    DecisionFactsSchema.parse({ occasions: "two-or-more", behaviours: ["following"], alarmingOrDistressing: true })
  );
  const text = stalking.safeguarding.join("\n");
  expect(text).toMatch(/0808 802 0300/);
  expect(text).toMatch(/S-DASH/);
  expect(text).toMatch(/Stalking Protection Order/);
  expect(text).toMatch(/Independent Stalking Advocacy Caseworker/);
  const single = decide(DecisionFactsSchema.parse({ occasions: "one" }));
  expect(single.safeguarding.join("\n")).not.toMatch(/Stalking Protection Order/);
});

test("decide: the s.2A penalty is stated as FACTS.md states it, never as commenced", () => {
  const result = decide(
    DecisionFactsSchema.parse({ occasions: "two-or-more", fixation: true, alarmingOrDistressing: true })
  );
  const text = result.reasons.join(" ");
  expect(text).toMatch(
    /51 weeks in the statute, read as 6 months until the Criminal Justice Act 2003 s\.281\(5\) commences/
  );
});

// ---------------------------------------------------------------- the schema

test.each([
  {
    name: "form strings: yes/no become booleans, one checkbox becomes a list",
    input: { occasions: "two-or-more", fixation: "yes", fearOfViolenceTwice: "no", behaviours: "loitering" },
    expected: { fixation: "yes", fearOfViolenceTwice: false, behaviours: ["loitering"] },
  },
  {
    name: "the exclusive 'none' checkbox is dropped",
    input: { occasions: "two-or-more", behaviours: ["none"] },
    expected: { behaviours: [] },
  },
  {
    name: "duplicates are removed",
    input: { occasions: "two-or-more", behaviours: ["following", "following"] },
    expected: { behaviours: ["following"] },
  },
  {
    name: "defaults: relationship unknown, nothing else stated",
    input: { occasions: "one" },
    expected: {
      relationship: "unknown",
      behaviours: [],
      fixation: "not-known",
      fearOfViolenceTwice: false,
      seriousAlarmOrDistress: false,
      alarmingOrDistressing: false,
      couldBeReasonable: false,
      controllingOrCoercive: false,
      messageKind: "none",
    },
  },
])("schema accepts $name", ({ input, expected }) => {
  expect(DecisionFactsSchema.parse(input)).toMatchObject(expected);
});

test.each([
  { name: "missing occasions", input: { relationship: "stranger" }, path: "occasions" },
  { name: "an unknown field (a typo in quiz.yaml)", input: { occasions: "one", fixated: true }, path: "" },
  { name: "an unknown behaviour", input: { occasions: "two-or-more", behaviours: ["stalking"] }, path: "behaviours" },
  { name: "an unknown relationship", input: { occasions: "one", relationship: "boss" }, path: "relationship" },
  { name: "a yes/no field given a number", input: { occasions: "one", fixation: 1 }, path: "fixation" },
  {
    name: "a message kind from before 2024 law",
    input: { occasions: "one", messageKind: "menacing" },
    path: "messageKind",
  },
])("schema rejects $name", ({ input, path }) => {
  const result = DecisionFactsSchema.safeParse(input);
  expect(result.success).toBe(false);
  if (!result.success) {
    expect(result.error.issues.map((issue) => issue.path.join("."))).toContain(path);
  }
});

// ---------------------------------------------------------------- the steps

test.each<{ name: string; answers: DecisionAnswers; next: string | null }>([
  { name: "nothing answered: how many occasions", answers: {}, next: "occasions" },
  { name: "then the relationship", answers: { occasions: "one" }, next: "relationship" },
  {
    name: "a single incident skips every course-of-conduct question",
    answers: { occasions: "one", relationship: "stranger" },
    next: "messageKind",
  },
  {
    name: "a single incident is done after the message question",
    answers: { occasions: "one", relationship: "stranger", messageKind: "none" },
    next: null,
  },
  {
    name: "a course of conduct asks for behaviours",
    answers: { occasions: "two-or-more", relationship: "stranger" },
    next: "behaviours",
  },
  {
    name: "'none of these' answers the behaviours question",
    answers: { occasions: "two-or-more", relationship: "stranger", behaviours: ["none"] },
    next: "fixation",
  },
  {
    name: "an invalid value does not count as an answer",
    answers: { occasions: "two-or-more", relationship: "stranger", behaviours: ["stalking"] },
    next: "behaviours",
  },
  {
    name: "fear of violence twice skips the reasonable-person question",
    answers: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: "following",
      fixation: "yes",
      fearOfViolenceTwice: "yes",
      seriousAlarmOrDistress: "no",
    },
    next: null,
  },
  {
    name: "no fear and no serious distress: ask the harassment test",
    answers: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: "following",
      fixation: "no",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "no",
    },
    next: "alarmingOrDistressing",
  },
  {
    name: "not alarming: ask about the messages",
    answers: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: "contacting",
      fixation: "no",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "no",
      alarmingOrDistressing: "no",
    },
    next: "messageKind",
  },
  {
    name: "alarming: ask whether it could be lawful or reasonable (PHA s.1(3)), not about messages",
    answers: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: "contacting",
      fixation: "no",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "no",
      alarmingOrDistressing: "yes",
    },
    next: "couldBeReasonable",
  },
  {
    name: "lawful or reasonable answered: done",
    answers: {
      occasions: "two-or-more",
      relationship: "stranger",
      behaviours: "contacting",
      fixation: "not-known",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "no",
      alarmingOrDistressing: "yes",
      couldBeReasonable: "no",
    },
    next: null,
  },
  {
    name: "fixation 'not known' is an answer of its own",
    answers: { occasions: "two-or-more", relationship: "stranger", behaviours: "contacting", fixation: "not-known" },
    next: "fearOfViolenceTwice",
  },
  {
    name: "once each to two or more people skips every course-of-conduct question",
    answers: { occasions: "once-each-to-several", relationship: "acquaintance" },
    next: "messageKind",
  },
  {
    name: "ex-partner with a serious effect: ask about controlling or coercive behaviour",
    answers: {
      occasions: "two-or-more",
      relationship: "ex-partner",
      behaviours: "contacting",
      fixation: "no",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "yes",
    },
    next: "controllingOrCoercive",
  },
  {
    name: "neighbour with a serious effect: no controlling question (not personally connected)",
    answers: {
      occasions: "two-or-more",
      relationship: "neighbour",
      behaviours: "contacting",
      fixation: "no",
      fearOfViolenceTwice: "no",
      seriousAlarmOrDistress: "yes",
    },
    next: null,
  },
  {
    name: "booleans (as in quiz.yaml) work like yes/no",
    answers: {
      occasions: "two-or-more",
      relationship: "partner",
      behaviours: ["other"],
      fixation: false,
      fearOfViolenceTwice: true,
      seriousAlarmOrDistress: false,
    },
    next: "controllingOrCoercive",
  },
])("nextStep: $name", ({ answers, next }) => {
  expect(nextStep(answers)?.id ?? null).toBe(next);
});

test("nextStep: walking the steps to the end always gives answers decide() accepts", () => {
  // Answer every question with each option in turn (first option, then last) and check the walk ends.
  for (const pick of ["first", "last"] as const) {
    const answers: DecisionAnswers = {};
    for (let guard = 0; guard < DECISION_STEPS.length + 1; guard++) {
      const step = nextStep(answers);
      if (!step) break;
      const candidates = step.options.filter((o) => !o.exclusive);
      const option = pick === "first" ? candidates[0] : candidates[candidates.length - 1];
      answers[step.id] = step.input === "checkbox" ? [option!.value] : option!.value;
    }
    expect(nextStep(answers)).toBeNull();
    expect(() => decide(DecisionFactsSchema.parse(answers))).not.toThrow();
  }
});

test("pruneAnswers: answers to questions that no longer apply are dropped", () => {
  const answers: DecisionAnswers = {
    occasions: "one",
    relationship: "ex-partner",
    behaviours: ["following"],
    fixation: "yes",
    fearOfViolenceTwice: "yes",
    controllingOrCoercive: "yes",
    messageKind: "none",
  };
  expect(pruneAnswers(answers)).toEqual({ occasions: "one", relationship: "ex-partner", messageKind: "none" });
});

test("applicableSteps: a single incident has three questions", () => {
  expect(applicableSteps({ occasions: "one" }).map((s) => s.id)).toEqual(["occasions", "relationship", "messageKind"]);
});

test("DECISION_STEPS: every step is a schema field, every option value parses, and the list survives JSON", () => {
  const shape = Object.keys(DecisionFactsSchema.shape);
  const ids = DECISION_STEPS.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual([...shape].sort());
  for (const step of DECISION_STEPS) {
    expect(step.question).toMatch(/\?$/);
    expect(step.hint.length).toBeGreaterThan(0);
    for (const option of step.options) {
      const value = step.input === "checkbox" ? [option.value] : option.value;
      const input = step.id === "occasions" ? { occasions: value } : { occasions: "two-or-more", [step.id]: value };
      expect(DecisionFactsSchema.safeParse(input).success, `${step.id}=${option.value}`).toBe(true);
    }
  }
  expect(JSON.parse(JSON.stringify(DECISION_STEPS))).toEqual(DECISION_STEPS);
});

test("decide: recording states the rule in force (2023) before its history (2018), apart from which offence the facts disclose", () => {
  const result = decide(
    DecisionFactsSchema.parse({ occasions: "two-or-more", behaviours: ["following"], fixation: true, alarmingOrDistressing: true })
  );
  const record = result.toRecord;
  const rule = record.findIndex((line) => /since the 2023 changes/.test(line));
  const history = record.findIndex((line) => /from April 2018/.test(line));
  expect(rule).toBeGreaterThanOrEqual(0);
  expect(history).toBeGreaterThan(rule);
  expect(record[0]).toMatch(/^The facts disclose stalking/);
  // The recording presumption never decides the offence.
  for (const line of result.reasons) expect(line).not.toMatch(/HOCR/);
});

test("decide: no outcome teaches once each to two people as a course of conduct for harassment or stalking", () => {
  for (const messageKind of ["none", "grossly-offensive", "threat", "false"] as const) {
    const result = decide(
      DecisionFactsSchema.parse({
        occasions: "once-each-to-several",
        behaviours: ["following"],
        fixation: true,
        fearOfViolenceTwice: true,
        alarmingOrDistressing: true,
        messageKind,
      })
    );
    expect(["stalking-s2a", "stalking-s4a", "harassment-s2", "harassment-s4"]).not.toContain(result.offence);
  }
});

test("schema: fixation takes yes, no or not known; quiz.yaml booleans map to yes and no; left out it is not known", () => {
  expect(DecisionFactsSchema.parse({ occasions: "two-or-more", fixation: true }).fixation).toBe("yes");
  expect(DecisionFactsSchema.parse({ occasions: "two-or-more", fixation: false }).fixation).toBe("no");
  expect(DecisionFactsSchema.parse({ occasions: "two-or-more", fixation: "not-known" }).fixation).toBe("not-known");
  expect(DecisionFactsSchema.parse({ occasions: "two-or-more" }).fixation).toBe("not-known");
  expect(DecisionFactsSchema.safeParse({ occasions: "two-or-more", fixation: "maybe" }).success).toBe(false);
});
