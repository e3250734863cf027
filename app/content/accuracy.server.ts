/**
 * Accuracy rules: statements the fact brief (/work/shared/domain/FACTS.md)
 * corrects, or marks UNVERIFIED, that must never reach a learner. Run by
 * `npm run content:check` over every lesson and quiz bank, so an author sees
 * the file and line before a subject expert has to.
 *
 * Rules work on passages (a paragraph of MDX, a question of a quiz bank):
 * most wrong statements are only wrong without the qualification that sits
 * next to them, e.g. "once to each of two people" is right about s.1(1A)
 * and wrong about stalking.
 */

export type AccuracyRule = {
  id: string;
  /** What the author should do instead, with the source. */
  why: string;
  /** True when the passage breaks the rule. */
  breaks: (passage: string) => boolean;
};

const has = (pattern: RegExp) => (text: string) => pattern.test(text);

export const ACCURACY_RULES: readonly AccuracyRule[] = [
  {
    id: "course-of-conduct-two-people",
    why: 'conduct once towards each of two or more people is a course of conduct only for PHA s.1(1A); for s.2, s.2A, s.4 and s.4A it must be two occasions towards the one victim (PHA s.7(3), FACTS §1): name s.1(1A), or say it is "not a course of conduct"',
    breaks: (text) =>
      /course of conduct/i.test(text) &&
      /(two or more (people|persons)|each of two|once each|to two people|to each of (the )?two)/i.test(text) &&
      !/1\(1A\)|not a course of conduct|is not a course|no course of conduct/i.test(text),
  },
  {
    id: "s68-commencement",
    why: "the Domestic Abuse Act 2021 s.68 came into force on 5 April 2023 and applies to behaviour on or after that date only (FACTS §1): say so wherever s.68 is taught",
    breaks: (text) => /\b(s\.|section )68\b/.test(text) && !/5 April 2023/.test(text),
  },
  {
    id: "s181-recipient",
    why: 'OSA 2023 s.181 is about whether "an individual encountering the message" would fear the threat carried out, not "the recipient" (FACTS §1 table)',
    breaks: (text) =>
      /s\.181/.test(text) && /(intending|intends|intend) (the )?recipient|recipient (will|would) fear|recipient to fear/i.test(text),
  },
  {
    id: "hocr-2018-as-current",
    why: 'the April 2018 "record in addition" rule is history: since the 2023 changes one crime is recorded per report (FACTS §2): write it in the past tense, after the rule in force',
    breaks: has(/\bis recorded \**in addition/i),
  },
  {
    id: "hocr-2020-as-law",
    why: "the April 2020 former-partner rule is a recording rule: it says how a course of conduct is recorded, never which offence the facts disclose (FACTS §2): mention recording wherever it is taught",
    breaks: (text) => /April 2020/.test(text) && /(former|ex-)partner/i.test(text) && !/record/i.test(text),
  },
  { id: "one-in-ten-men", why: "the ONS figure for men is about 1 in 11 (CSEW year ending March 2024)", breaks: has(/1 in 10 men/i) },
  { id: "online-42", why: "the 42% online figure is UNVERIFIED", breaks: has(/42 ?%/) },
  {
    id: "trust-8364",
    why: "8,364 (2017) must be attributed to the Suzy Lamplugh Trust",
    breaks: has(/(?<!Trust[^.]{0,80})8,364/),
  },
  { id: "8q-2018", why: "stalking became 8Q in April 2014, not 2018", breaks: has(/8Q[^.]{0,40}2018|2018[^.]{0,40}8Q/) },
  {
    id: "s281-commenced",
    why: "whether CJA 2003 s.281(5) has commenced is UNVERIFIED",
    breaks: has(/(section |s\.)281\(5\) (has|came into) /i),
  },
];

export type AccuracyProblem = { line: number; message: string };

/**
 * Splits text into passages: paragraphs for MDX (blank-line separated), one
 * question per passage for a quiz bank (a line starting "  - id:" opens one).
 * Each passage keeps the line it starts on.
 */
function passages(text: string, kind: "mdx" | "yaml"): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/);
  const result: { line: number; text: string }[] = [];
  let start = 0;
  let current: string[] = [];
  const flush = () => {
    if (current.some((l) => l.trim() !== "")) result.push({ line: start + 1, text: current.join("\n") });
    current = [];
  };
  lines.forEach((line, index) => {
    const opens = kind === "mdx" ? line.trim() === "" : /^\s{0,4}- id:/.test(line);
    if (opens) {
      flush();
      start = kind === "mdx" ? index + 1 : index;
      if (kind === "yaml") current.push(line);
      return;
    }
    if (current.length === 0) start = index;
    current.push(line);
  });
  flush();
  return result;
}

export function checkAccuracy(text: string, kind: "mdx" | "yaml"): AccuracyProblem[] {
  const problems: AccuracyProblem[] = [];
  for (const passage of passages(text, kind)) {
    // Line breaks inside a paragraph do not separate words.
    const flat = passage.text.replace(/\s+/g, " ");
    for (const rule of ACCURACY_RULES) {
      if (rule.breaks(flat)) problems.push({ line: passage.line, message: `accuracy (${rule.id}): ${rule.why}` });
    }
  }
  return problems;
}
