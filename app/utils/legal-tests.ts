/**
 * The legal tests that decide a classification question, without its answer:
 * shown under a scenario the learner answered wrongly while it may still be
 * asked again (ADR 022), so they can work it out rather than be told. The
 * same tests, in the same order, as the decision aid's rules
 * (app/utils/decision-aid.ts).
 */
export const CLASSIFY_LEGAL_TESTS = [
  "A course of conduct needs conduct on at least two occasions (Protection from Harassment Act 1997 s.7); one occasion can only be a communications offence, or none.",
  "Harassment: conduct a reasonable person with the same information would think amounts to harassment, alarming or distressing (PHA s.1, s.2).",
  "Stalking: harassment whose acts are associated with stalking (following, contacting, loitering, watching or spying, interfering with property, and the others in PHA s.2A(3)), driven by fixation or obsession.",
  "The more serious offences: fear, on at least two occasions, that violence will be used (PHA s.4, or s.4A when it is stalking), or, for stalking, serious alarm or distress with a substantial adverse effect on usual day-to-day activities (s.4A).",
  "Controlling or coercive behaviour: repeated or continuous behaviour towards someone personally connected (a partner, ex-partner or family member) that has a serious effect on them (Serious Crime Act 2015 s.76).",
  "A single message: indecent or grossly offensive and sent to cause distress or anxiety (Malicious Communications Act 1988 s.1), or a threat of death or serious harm (Online Safety Act 2023 s.181).",
] as const;
