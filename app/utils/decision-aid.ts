import { z } from "zod";
import { OFFENCE_LABELS, type Offence } from "#app/utils/offences.ts";

/**
 * The rules behind /tools/is-it-stalking, and the check that keeps the quiz
 * honest: every classify question's `facts` run through `decide()` and must
 * give the question's answer (tests/unit/curriculum.test.ts).
 *
 * Pure: no I/O, no React. The page renders DECISION_STEPS one question per
 * page (GOV.UK pattern, no JavaScript needed), asks `nextStep(answers)` which
 * question comes next, and when it returns null shows
 * `decide(DecisionFactsSchema.parse(pruneAnswers(answers)))`. pruneAnswers
 * drops answers to questions that stopped applying when the user went back
 * and changed an earlier answer; the schema accepts the form's "yes"/"no"
 * strings and single checkbox values as well as quiz.yaml's booleans and lists.
 *
 * Every legal statement here comes from /work/shared/domain/FACTS.md. The aid
 * covers England and Wales only and suggests a likely offence; it is not
 * legal advice.
 *
 * Decisions a reviewer will question (each is explained where it is made;
 * ADR 025 has the history):
 * 1. Fixation decides stalking: "yes" gives stalking; "no" gives harassment
 *    whatever the acts, with a note on when to reconsider; "not known" gives
 *    stalking only where an act from the s.2A(3) list other than contact is
 *    present, and says what to ask the victim: see `stalkingDecision`.
 * 2. The offence is what the facts disclose, never a recording presumption:
 *    the HOCR April 2020 ex-partner rule appears only in what to record.
 * 5. Conduct once each towards two or more people is not a course of conduct
 *    for s.2, s.2A, s.4 or s.4A (PHA s.7(3)): it is judged as one incident.
 * 6. Before a harassing course of conduct is called a crime, the aid asks
 *    whether it could be lawful or reasonable (PHA s.1(3)).
 * 3. Controlling or coercive behaviour is chosen before stalking when the
 *    person is personally connected and the user says the conduct is
 *    controlling or coercive with a serious effect: see `decideCourse`.
 * 4. False communications (Online Safety Act 2023 s.179) have no vocabulary
 *    key: the outcome is `not-a-crime` with s.179 named in `alsoConsider`,
 *    reasons and caveats: see `decideSingle`.
 */

// ------------------------------------------------------------------ vocabulary

/**
 * "once-each-to-several": conduct on one occasion towards each of two or more
 * people. PHA s.7(3)(b) makes that a course of conduct only for s.1(1A)
 * (harassing several people to make someone do or not do something); for
 * s.2, s.2A, s.4 and s.4A it must be two occasions towards the one victim
 * (FACTS §1). It is asked as its own answer because officers counted it as
 * "two or more" when the hint said it could be a course of conduct.
 */
export const OCCASIONS = ["one", "two-or-more", "once-each-to-several"] as const;
export type Occasions = (typeof OCCASIONS)[number];

export const RELATIONSHIPS = [
  "ex-partner",
  "partner",
  "family-member",
  "colleague",
  "neighbour",
  "acquaintance",
  "customer-or-client",
  "stranger",
  "unknown",
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const RELATIONSHIP_LABELS: Record<Relationship, string> = {
  "ex-partner": "An ex-partner",
  partner: "A current partner",
  "family-member": "A family member",
  colleague: "A colleague or ex-colleague",
  neighbour: "A neighbour",
  acquaintance: "Someone they know a little (an acquaintance)",
  "customer-or-client": "A customer, client or service user",
  stranger: "A stranger",
  unknown: "Not known, or only known online",
};

/**
 * Serious Crime Act 2015 s.76 needs the two people to be personally connected.
 * Since the Domestic Abuse Act 2021 s.68 they need not live together, so
 * ex-partners and family members count (FACTS §1).
 */
export const PERSONALLY_CONNECTED: readonly Relationship[] = ["partner", "ex-partner", "family-member"];

/** PHA s.2A(3)(a)–(g): the Act's examples of acts associated with stalking. */
export const STATUTORY_STALKING_ACTS = [
  "following",
  "contacting",
  "publishing",
  "monitoring",
  "loitering",
  "interfering-with-property",
  "watching-or-spying",
] as const;

/**
 * Behaviours commonly associated with stalking that the Act does not list (the
 * list is not exhaustive: CPS guidance; the Suzy Lamplugh Trust names
 * unwanted gifts and malicious reports to agencies as acts that look trivial
 * alone).
 */
export const OTHER_STALKING_ACTS = ["turning-up", "unwanted-gifts", "malicious-reports"] as const;

/** Behaviours that are not in themselves associated with stalking. */
export const OTHER_BEHAVIOURS = ["threats", "abuse-in-person", "other"] as const;

export const BEHAVIOURS = [...STATUTORY_STALKING_ACTS, ...OTHER_STALKING_ACTS, ...OTHER_BEHAVIOURS] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const BEHAVIOUR_LABELS: Record<Behaviour, string> = {
  following: "Following them (s.2A(3)(a))",
  contacting:
    "Contacting or trying to contact them by any means: calls, messages, letters, social media, through other people (s.2A(3)(b))",
  publishing: "Publishing statements or material about them, or pretending to be them (s.2A(3)(c))",
  monitoring: "Monitoring their use of the internet, email or other electronic communication (s.2A(3)(d))",
  loitering: "Loitering anywhere, public or private, where they are likely to be (s.2A(3)(e))",
  "interfering-with-property": "Interfering with their property (s.2A(3)(f))",
  "watching-or-spying": "Watching or spying on them (s.2A(3)(g))",
  "turning-up": "Turning up uninvited at their home, work or places they go",
  "unwanted-gifts": "Leaving or sending unwanted gifts",
  "malicious-reports": "Making false or malicious reports about them to agencies, employers or others",
  threats: "Threatening them, their family, pets or property",
  "abuse-in-person": "Shouting abuse, insults or intimidation face to face",
  other: "Something else",
};

const statutoryLetter: Partial<Record<Behaviour, string>> = {
  following: "(a) following",
  contacting: "(b) contacting",
  publishing: "(c) publishing",
  monitoring: "(d) monitoring electronic communication",
  loitering: "(e) loitering",
  "interfering-with-property": "(f) interfering with property",
  "watching-or-spying": "(g) watching or spying",
};

/**
 * Fixation is asked with three answers: "not known" is not "no". An officer
 * who has not asked the victim must not be led to harassment as if fixation
 * had been ruled out, nor to stalking as if it had been found.
 */
export const FIXATION_ANSWERS = ["yes", "no", "not-known"] as const;
export type FixationAnswer = (typeof FIXATION_ANSWERS)[number];

export const MESSAGE_KINDS = ["grossly-offensive", "threat", "false", "none"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  "grossly-offensive": "Indecent or grossly offensive, and sent to cause distress or anxiety",
  threat:
    "A threat of death or serious harm, meant to make whoever reads it fear it would be carried out (or not caring whether it did)",
  false: "Information the sender knew was false, meant to cause non-trivial psychological or physical harm",
  none: "None of these, or it was not a message",
};

// ------------------------------------------------------------------ the facts

/**
 * Yes/no answers arrive as booleans from quiz.yaml and as "yes"/"no" from the
 * form: accept both, so the page can parse its answers with this schema too.
 */
const yesNo = (field: string) =>
  z
    .union([z.boolean(), z.enum(["yes", "no"]).transform((value) => value === "yes")], {
      error: `${field} must be yes or no`,
    })
    .default(false);

/**
 * A form posts one checkbox as a string and several as a list; the step's
 * "none of these" option (value "none") only marks the question as answered.
 */
const behavioursField = z
  .union([z.array(z.enum([...BEHAVIOURS, "none"])), z.enum([...BEHAVIOURS, "none"]).transform((value) => [value])], {
    error: `behaviours must be a list of: ${BEHAVIOURS.join(", ")}`,
  })
  .transform((values) => [...new Set(values.filter((value): value is Behaviour => value !== "none"))])
  .default([]);

/**
 * What the learner (or the officer using the aid) knows about the case.
 * Only `occasions` is required; everything else defaults to "not stated".
 * Strict, so that a typo in a quiz.yaml `facts` block fails the content test.
 */
export const DecisionFactsSchema = z.strictObject({
  /** One incident, or two or more (a course of conduct, PHA s.7). */
  occasions: z.enum(OCCASIONS, { error: `occasions must be one of: ${OCCASIONS.join(", ")}` }),
  /** Who the suspect is to the victim. Default: unknown. */
  relationship: z
    .enum(RELATIONSHIPS, { error: `relationship must be one of: ${RELATIONSHIPS.join(", ")}` })
    .default("unknown"),
  /** What the suspect did (course of conduct only). Default: none stated. */
  behaviours: behavioursField,
  /**
   * The suspect seems fixated on or obsessed with the victim (FOUR): yes, no
   * or not known. quiz.yaml may write true/false; leaving it out means "not
   * stated", so not known.
   */
  fixation: z
    .union([z.boolean().transform((value): FixationAnswer => (value ? "yes" : "no")), z.enum(FIXATION_ANSWERS)], {
      error: `fixation must be one of: ${FIXATION_ANSWERS.join(", ")} (or true / false)`,
    })
    .default("not-known"),
  /** The victim feared, on at least two occasions, that violence would be used against them (s.4, s.4A(1)(b)(i)). */
  fearOfViolenceTwice: yesNo("fearOfViolenceTwice"),
  /** Serious alarm or distress with a substantial adverse effect on the victim's usual day-to-day activities (s.4A(1)(b)(ii)). */
  seriousAlarmOrDistress: yesNo("seriousAlarmOrDistress"),
  /** A reasonable person with the same information would think the conduct amounts to harassment: alarming or distressing (PHA s.1, s.7). */
  alarmingOrDistressing: yesNo("alarmingOrDistressing"),
  /**
   * The conduct could be lawful or reasonable: pursued to prevent or detect
   * crime, under an enactment or rule of law, or reasonable in the
   * circumstances (PHA s.1(3)). Asked only where no fear of violence and no
   * serious alarm or distress is stated: s.4 and s.4A have their own defences.
   */
  couldBeReasonable: yesNo("couldBeReasonable"),
  /** Repeated or continuous controlling or coercive behaviour (SCA 2015 s.76). Only counts if personally connected. */
  controllingOrCoercive: yesNo("controllingOrCoercive"),
  /** For a single message (or messages that are not a course of harassment): what it was. */
  messageKind: z
    .enum(MESSAGE_KINDS, { error: `messageKind must be one of: ${MESSAGE_KINDS.join(", ")}` })
    .default("none"),
});
export type DecisionFacts = z.infer<typeof DecisionFactsSchema>;
/** What authors write in quiz.yaml and what the page collects: defaults may be left out. */
export type DecisionFactsInput = z.input<typeof DecisionFactsSchema>;

// ------------------------------------------------------------------ the outcome

export type DecisionOutcome = {
  /** The likely offence, in the platform's vocabulary. */
  offence: Offence;
  /** The offence's long label, for the page. */
  label: string;
  /** Why, in plain words, naming the legal tests. */
  reasons: string[];
  /** Other offences to consider alongside or instead (including ones outside the vocabulary, e.g. OSA s.179). */
  alsoConsider: string[];
  /** What to put on the record: HOCR classification and rules. */
  toRecord: string[];
  /** Safeguarding, risk assessment, orders and referrals. */
  safeguarding: string[];
  /** Limits of the aid. */
  caveats: string[];
};

const HELPLINE =
  "Give the victim the National Stalking Helpline number, 0808 802 0300 (run by the Suzy Lamplugh Trust).";
const ISAC =
  "If the risk is high, refer the victim to an Independent Stalking Advocacy Caseworker (ISAC), e.g. through Paladin, the National Stalking Advocacy Service.";
const LOCAL = "Refer the victim to local victim services, with their consent.";
const SAFEGUARDING_FIRST =
  "Safeguarding comes before a criminal justice outcome (College of Policing): if anyone is in immediate danger, respond as an emergency.";
const SDASH_COURSE =
  "Complete the S-DASH risk checklist (11 questions): it is for cases with two or more incidents, reported or not, and/or where the victim is very frightened. Absence of physical violence does not mean lower risk.";
const SDASH_SINGLE =
  "Ask whether there have been other incidents, reported or not. If there have, or the victim is very frightened, complete the S-DASH risk checklist.";
const SPO =
  "Consider a Stalking Protection Order (Stalking Protection Act 2019): the police can apply to a magistrates' court where the person has carried out acts associated with stalking, poses a risk associated with stalking, and an order is necessary to protect someone from that risk. It is a civil order (the charging threshold need not be met), interim orders exist, and breach is an offence (up to 5 years).";
const RESTRAINING =
  "If the case is prosecuted, ask the CPS to consider a restraining order: available on conviction for any offence, and on acquittal (PHA s.5A); breach is an offence.";
const MASIP =
  "Where your area has a multi-agency stalking intervention arrangement (such as the MASIP sites: police, health, probation and advocacy together), refer the perpetrator case to it.";

/**
 * Recording: the rule in force first, then its history (FACTS §2 "Home Office
 * Counting Rules"). The principal crime rule's wording is UNVERIFIED in
 * FACTS, so it is described, not quoted.
 */
const RECORD_RULE =
  "How to record (HOCR, since the 2023 changes): one crime per report, chosen by the principal crime rule (HOCR General Rules Section F, with a look-up at Annex C); stalking that involved, for example, criminal damage is recorded as stalking. Check how it applies with your force crime registrar.";
const RECORD_INCLUDED =
  "Name any stalking, harassment or controlling behaviour in the record even where another crime is the principal one: the 2024 super-complaint report (HMICFRS, IOPC and College of Policing) recommended that forces make such \"included\" classifications documentable and searchable.";
const RECORD_HISTORY =
  "History, for older records: from April 2018 a course of conduct amounting to stalking, harassment or controlling behaviour was recorded in addition to the most serious other offence; the 2023 changes moved to one crime per report.";
const RECORD_EX_PARTNER =
  "Ex-partner (a recording rule, not the law of the offence): HOCR's April 2020 change says a course of conduct between a victim and a former partner is recorded as stalking unless police are satisfied it is harassment only. If you record harassment, record why you are satisfied it is harassment only, and check the current rule with your force crime registrar.";
const RECORD_PATTERN =
  "Record the whole pattern, not each incident on its own: link earlier reports, list every occasion with dates, and note the FOUR elements (fixated, obsessive, unwanted, repeated) you found.";
const RECORD_SINGLE =
  "Record the incident and search for earlier reports involving the same people: one incident can be the first occasion of a course of conduct.";

const CAVEAT_NOT_ADVICE =
  "This aid suggests a likely offence from the answers given; it is not legal advice. Consult the CPS legal guidance for charge selection, and your force crime registrar for recording.";
const CAVEAT_THINK_STALKING =
  "Think stalking first (College of Policing): in a harassment case, review and record why the case does not meet the description of stalking.";
const CAVEAT_E_AND_W =
  "England and Wales law only (Scotland has its own stalking offence: Criminal Justice and Licensing (Scotland) Act 2010 s.39).";

const unique = (items: string[]) => [...new Set(items)];

function outcome(
  offence: Offence,
  parts: Omit<DecisionOutcome, "offence" | "label" | "caveats"> & { caveats?: string[] }
): DecisionOutcome {
  return {
    offence,
    label: OFFENCE_LABELS[offence].long,
    reasons: parts.reasons,
    alsoConsider: unique(parts.alsoConsider),
    toRecord: unique(parts.toRecord),
    safeguarding: unique(parts.safeguarding),
    caveats: unique([...(parts.caveats ?? []), CAVEAT_NOT_ADVICE, CAVEAT_E_AND_W]),
  };
}

function describeActs(acts: Behaviour[]): string {
  return acts.map((act) => statutoryLetter[act] ?? BEHAVIOUR_LABELS[act].toLowerCase()).join(", ");
}

/**
 * The acts associated with stalking in a course of conduct.
 *
 * - `statutory`: PHA s.2A(3)(a)–(g).
 * - `other`: behaviours the Suzy Lamplugh Trust names as stalking that the
 *   Act does not list (turning up, unwanted gifts, malicious reports).
 * - `listedBeyondContact`: the s.2A(3) acts other than contacting. Almost
 *   every harassment involves contact, and turning up or leaving notes is
 *   what a neighbour in a hedge dispute does too, so neither can stand in for
 *   fixation; the Act's other examples (following, watching, loitering,
 *   monitoring, publishing, interfering with property) can, when fixation is
 *   not known.
 */
function stalkingIndicators(facts: DecisionFacts) {
  const statutory = facts.behaviours.filter((b) => (STATUTORY_STALKING_ACTS as readonly string[]).includes(b));
  const other = facts.behaviours.filter((b) => (OTHER_STALKING_ACTS as readonly string[]).includes(b));
  const listedBeyondContact = statutory.filter((b) => b !== "contacting");
  return { statutory, other, all: [...statutory, ...other], listedBeyondContact };
}

/**
 * Does a harassing course of conduct point to stalking? FOUR and the Suzy
 * Lamplugh Trust put fixation or obsession at the heart of the difference
 * (FACTS §2), so:
 * - fixation "yes": stalking;
 * - fixation "no": harassment, whatever the acts: a disgruntled customer's
 *   posts or a neighbour's notes are acts the Act lists, but without
 *   fixation on the person they are harassment. The outcome says when to
 *   reconsider (think stalking first, College of Policing);
 * - fixation "not known": stalking where an act from the s.2A(3) list other
 *   than contact is present (think stalking first), otherwise harassment;
 *   either way the outcome says what to ask the victim.
 */
function stalkingDecision(facts: DecisionFacts, acts: ReturnType<typeof stalkingIndicators>): boolean {
  if (facts.fixation === "yes") return true;
  if (facts.fixation === "no") return false;
  return acts.listedBeyondContact.length > 0;
}

const ASK_THE_VICTIM =
  "Fixation is not known: ask the victim. Does the person keep coming back to you whatever you say or do? Do they seem to know where you go, what you do or who you see? Has it gone on after you asked them to stop, or after any dispute was settled? Have they contacted your family, friends or work about you? Then answer the fixation question again.";

const RECONSIDER_STALKING =
  "Reconsider stalking (think stalking first, College of Policing) if the conduct goes on after the dispute or grievance is settled or after the victim asks it to stop, turns to the victim's private life (where they go, who they see), spreads to their family, friends or work, or the person's attention keeps returning to the victim whatever happens (FOUR: fixated, obsessive, unwanted, repeated).";

// ------------------------------------------------------------------ decide

export function decide(facts: DecisionFacts): DecisionOutcome {
  return facts.occasions === "two-or-more" ? decideCourse(facts) : decideSingle(facts);
}

const NOT_COURSE =
  "One occasion is not a course of conduct: harassment and stalking need conduct on at least two occasions (PHA s.7).";

const NOT_COURSE_SEVERAL =
  "Conduct on one occasion towards each of two or more people is not a course of conduct for harassment or stalking of any one of them: PHA s.2, s.2A, s.4 and s.4A need conduct on at least two occasions in relation to that person (PHA s.7(3)(a)). The other limb, once towards each of two or more people (s.7(3)(b)), serves only s.1(1A). Each person's incident is judged on its own.";

function decideSingle(facts: DecisionFacts): DecisionOutcome {
  const several = facts.occasions === "once-each-to-several";
  return decideMessage(facts, several ? [NOT_COURSE_SEVERAL] : [NOT_COURSE], {
    safeguarding: [SAFEGUARDING_FIRST, SDASH_SINGLE],
    toRecord: [RECORD_SINGLE],
    caveats: [
      "If this turns out to be one of several incidents towards the same person, reported or not, answer again with two or more occasions: repeat behaviour treated as isolated incidents is how stalking is missed (HMIC/HMCPSI, Living in fear, 2017).",
    ],
    alsoConsider: several
      ? [
          "PHA s.1(1A): harassing two or more people, once each, intending to persuade someone not to do something they are entitled or required to do, or to do something they are not obliged to do. That is the only place where once towards each of two or more people is a course of conduct.",
        ]
      : [],
  });
}

/**
 * A message judged on its own: a single message, or messages within conduct
 * that does not amount to harassment. `lead` explains why no course-of-conduct
 * offence applies.
 */
/**
 * A single threat is not only s.181 (FACTS §1 table): a threat to kill, in
 * person or in writing, is OAPA 1861 s.16 (10 years), and a menacing message
 * over a public electronic communications network is CA 2003 s.127(1).
 */
const THREAT_ALTERNATIVES = [
  "Threats to kill (Offences Against the Person Act 1861 s.16; either way, maximum 10 years) if the threat was to kill: a single threat, in person or in writing, can be this offence.",
  "Communications Act 2003 s.127(1) (a message of a menacing character sent by a public electronic communications network; summary only, with the extended time limit in s.127(5)-(6)) where the threat falls short of death or serious harm.",
];

function decideMessage(
  facts: DecisionFacts,
  lead: string[],
  context: { safeguarding: string[]; toRecord: string[]; caveats: string[]; alsoConsider?: string[] }
): DecisionOutcome {
  const { toRecord, caveats } = context;
  const safeguarding = context.safeguarding;
  const extra = context.alsoConsider ?? [];

  switch (facts.messageKind) {
    case "threat":
      return outcome("threatening-communications", {
        reasons: [
          ...lead,
          "A single message can be an offence. A message conveying a threat of death or serious harm (GBH, rape, assault by penetration, serious financial loss), sent intending an individual encountering the message to fear that the threat would be carried out, or reckless as to whether they would, is threatening communications (Online Safety Act 2023 s.181, in force 31 January 2024; either way, maximum 5 years).",
          "Since 31 January 2024 threats are no longer Malicious Communications Act offences.",
        ],
        alsoConsider: [
          ...extra,
          ...THREAT_ALTERNATIVES,
        ],
        toRecord,
        safeguarding: [...safeguarding, LOCAL],
        caveats,
      });
    case "grossly-offensive":
      return outcome("malicious-communications", {
        reasons: [
          ...lead,
          "A single message can be an offence. Sending a letter, electronic communication or article that is indecent or grossly offensive, where a purpose is to cause distress or anxiety to the recipient or another, is an offence under the Malicious Communications Act 1988 s.1 (maximum 2 years). It is complete when sent; it need not be received.",
        ],
        alsoConsider: [
          ...extra,
          "Communications Act 2003 s.127(1), if sent over a public electronic communications network (summary only; the time limit is extended: within 3 years of the offence and 6 months of the prosecutor having sufficient evidence, s.127(5)-(6)).",
        ],
        toRecord,
        safeguarding: [...safeguarding, LOCAL],
        caveats,
      });
    case "false":
      // No vocabulary key exists for OSA s.179. `not-a-crime` is the least
      // wrong key for reports (none of the eight offences is made out), and
      // `malicious-communications` would repeat the pre-2024 mistake FACTS
      // warns about: false messages left the MCA on 31 January 2024. The
      // possible s.179 offence is named in reasons, alsoConsider and caveats,
      // and the quiz never asks learners to call a false communication
      // "not a crime".
      return outcome("not-a-crime", {
        reasons: [
          ...lead,
          "None of the offences this aid classifies is made out: a false message is no longer a Malicious Communications Act offence (since 31 January 2024).",
          "But it may be the offence of false communications (Online Safety Act 2023 s.179): sending a message conveying information the sender knows is false, intending to cause non-trivial psychological or physical harm without reasonable excuse (summary only).",
        ],
        alsoConsider: [...extra, "False communications, Online Safety Act 2023 s.179."],
        toRecord: [
          ...toRecord,
          "Record the report; if the s.179 offence is made out, record it under the classification your force's counting rules give it (this aid does not cover it).",
        ],
        safeguarding: [...safeguarding, LOCAL],
        caveats: [
          ...caveats,
          '"Not a crime" here means none of this aid\'s offences: the message may still be a false communications offence (Online Safety Act 2023 s.179).',
        ],
      });
    case "none":
      return outcome("not-a-crime", {
        reasons: [
          ...lead,
          "A single message is an offence only if it is indecent or grossly offensive and sent to cause distress or anxiety (Malicious Communications Act 1988 s.1), a threat of death or serious harm (Online Safety Act 2023 s.181), or known to be false and meant to cause non-trivial harm (Online Safety Act 2023 s.179). None of these is stated.",
        ],
        alsoConsider: [
          ...extra,
          "Offences this aid does not cover (e.g. criminal damage or public order offences) if the incident involved them.",
          "Communications Act 2003 s.127(1) if a message sent over a public electronic communications network was grossly offensive, indecent, obscene or menacing.",
        ],
        toRecord,
        safeguarding: [...safeguarding, LOCAL],
        caveats,
      });
  }
}

const COURSE_REASON =
  "Two or more occasions involving the victim: a course of conduct (PHA s.7 needs at least two occasions in relation to that person; the fewer and further apart they are, the less likely a court is to find harassment).";

const HARASSMENT_REASON =
  "The conduct amounts to harassment: a reasonable person with the same information would think it alarming or distressing (PHA s.1, s.7).";

/** What every course-of-conduct outcome is judged from, worked out once from the answers. */
type CourseFacts = {
  facts: DecisionFacts;
  /** Alarming or distressing, or one of the two serious effects. */
  harassing: boolean;
  /** Fear of violence on two occasions, or serious alarm or distress (s.4, s.4A, s.76). */
  seriousEffect: boolean;
  connected: boolean;
  acts: ReturnType<typeof stalkingIndicators>;
  stalking: boolean;
  exPartnerRecord: string[];
  /** A threatening message, named in `alsoConsider` without changing the outcome. */
  threatNote: string[];
  /** The serious effects the user stated, as reasons. */
  effectReasons: string[];
};

function courseFacts(facts: DecisionFacts): CourseFacts {
  const acts = stalkingIndicators(facts);
  return {
    facts,
    harassing: facts.alarmingOrDistressing || facts.fearOfViolenceTwice || facts.seriousAlarmOrDistress,
    seriousEffect: facts.fearOfViolenceTwice || facts.seriousAlarmOrDistress,
    connected: PERSONALLY_CONNECTED.includes(facts.relationship),
    acts,
    stalking: stalkingDecision(facts, acts),
    exPartnerRecord: facts.relationship === "ex-partner" ? [RECORD_EX_PARTNER] : [],
    threatNote: threatMessageNote(facts),
    effectReasons: seriousEffectReasons(facts),
  };
}

/**
 * A threat sent as a message can be an offence in its own right (OSA 2023
 * s.181) even inside a course of conduct: name it, without changing the
 * course-of-conduct outcome.
 */
function threatMessageNote(facts: DecisionFacts): string[] {
  return facts.behaviours.includes("threats")
    ? [
        "Threatening communications (OSA 2023 s.181) for any message that threatened death or serious harm, intending an individual encountering it to fear the threat would be carried out, or reckless as to that; threats to kill (OAPA 1861 s.16) for a threat to kill.",
      ]
    : [];
}

function seriousEffectReasons(facts: DecisionFacts): string[] {
  const reasons: string[] = [];
  if (facts.fearOfViolenceTwice) {
    reasons.push("The victim feared, on at least two occasions, that violence would be used against them.");
  }
  if (facts.seriousAlarmOrDistress) {
    reasons.push(
      "The victim suffered serious alarm or distress with a substantial adverse effect on their usual day-to-day activities."
    );
  }
  return reasons;
}

/**
 * Two or more occasions towards the victim, checked in this order:
 * controlling or coercive behaviour, then not harassing at all, then lawful
 * or reasonable, then stalking, and harassment otherwise.
 */
function decideCourse(facts: DecisionFacts): DecisionOutcome {
  const conduct = courseFacts(facts);

  // --- Controlling or coercive behaviour (SCA 2015 s.76) comes first.
  //
  // Why before stalking, even for ex-partners: the question is only asked
  // where the people are personally connected, and a "yes" means the user has
  // recognised a pattern of control over the victim's life, which is what
  // s.76 was written for; the Domestic Abuse Act 2021 s.68 removed the
  // living-together requirement so that post-separation control is covered
  // (for behaviour on or after 5 April 2023). The overlap is real, so when
  // the same conduct shows stalking indicators the outcome says so in
  // `alsoConsider`: s.4A carries a higher maximum (10 years against 5), and
  // the CPS guidance "Stalking or Harassment" covers charge selection.
  if (conduct.connected && facts.controllingOrCoercive && conduct.seriousEffect) return decideControllingCoercive(conduct);

  // --- Not harassment: no course-of-conduct offence. A message may still be one.
  if (!conduct.harassing) return decideNotHarassing(conduct);

  // --- Lawful or reasonable (PHA s.1(3)): asked before calling it a crime.
  // Only where the effect is not serious: s.4 and s.4A have their own, narrower
  // defences, and the aid does not weigh them.
  if (facts.couldBeReasonable && !conduct.seriousEffect) return decideLawfulOrReasonable(conduct);

  // --- Stalking (PHA s.2A / s.4A).
  if (conduct.stalking) return decideStalking(conduct);

  // --- Harassment without stalking (PHA s.4 / s.2).
  return decideHarassment(conduct);
}

/** SCA 2015 s.76, naming stalking too when the same conduct shows fixation or stalking acts. */
function decideControllingCoercive({ facts, connected, acts, threatNote, effectReasons }: CourseFacts): DecisionOutcome {
  const stalkingToo = facts.fixation === "yes" || (facts.fixation !== "no" && acts.all.length > 0);
  return outcome("controlling-coercive", {
    reasons: [
      COURSE_REASON,
      `The suspect is personally connected to the victim (${RELATIONSHIP_LABELS[facts.relationship].toLowerCase()})${
        facts.relationship === "partner"
          ? ""
          : ": since the Domestic Abuse Act 2021 s.68 (in force 5 April 2023) ex-partners and family members need not live together, for behaviour on or after that date"
      }.`,
      "The behaviour is repeated or continuous controlling or coercive behaviour with a serious effect (fear of violence on at least two occasions, or serious alarm or distress with a substantial adverse effect on day-to-day activities): Serious Crime Act 2015 s.76, maximum 5 years.",
      ...effectReasons,
    ],
    alsoConsider: [
      ...threatNote,
      ...(stalkingToo
        ? [
            `Stalking (PHA s.2A, or s.4A given the serious effect: maximum 10 years): the conduct also shows ${
              facts.fixation === "yes" ? "fixation or obsession" : "acts associated with stalking"
            }${
              acts.all.length > 0 ? `, including ${describeActs(acts.all)}` : ""
            }. The CPS guidance "Stalking or Harassment" covers charge selection where these overlap.`,
          ]
        : []),
      ...(connected && facts.relationship !== "partner"
        ? [
            "Behaviour before 5 April 2023 by an ex-partner or family member who no longer lived with the victim is not covered by s.76 (the Domestic Abuse Act 2021 s.68 applies to behaviour on or after that date): consider stalking or harassment for that period.",
          ]
        : []),
    ],
    toRecord: [
      'Record controlling or coercive behaviour (since April 2020 it is counted in the ONS "stalking and harassment" group).',
      RECORD_RULE,
      RECORD_INCLUDED,
      RECORD_HISTORY,
      RECORD_PATTERN,
    ],
    safeguarding: [
      SAFEGUARDING_FIRST,
      SDASH_COURSE,
      ...(stalkingToo ? [SPO, HELPLINE, ISAC] : []),
      RESTRAINING,
      LOCAL,
    ],
    caveats: stalkingToo ? [CAVEAT_THINK_STALKING] : [],
  });
}

/** No harassment or stalking: a message judged on its own if there is one, otherwise not a crime. */
function decideNotHarassing({ facts }: CourseFacts): DecisionOutcome {
  const notHarassing =
    "A reasonable person with the same information would not think the conduct amounts to harassment (alarming or distressing the victim), so there is no harassment or stalking offence (PHA s.1 and s.7), and no fear of violence on two occasions (s.4).";
  if (facts.messageKind !== "none") {
    return decideMessage(facts, [COURSE_REASON, notHarassing], {
      safeguarding: [SAFEGUARDING_FIRST, SDASH_COURSE],
      toRecord: [
        "Record the report and link the other occasions to it: if the conduct continues, it can become a course of conduct amounting to harassment or stalking.",
      ],
      caveats: [CAVEAT_THINK_STALKING],
    });
  }
  return outcome("not-a-crime", {
    reasons: [
      COURSE_REASON,
      notHarassing,
      "No message is stated to be grossly offensive or indecent and sent to cause distress or anxiety (MCA 1988 s.1), a threat of death or serious harm (OSA 2023 s.181), or known to be false and meant to cause harm (OSA 2023 s.179).",
    ],
    alsoConsider: [
      "Communications Act 2003 s.127(2)(c) if the person persistently used a public electronic communications network to cause annoyance, inconvenience or needless anxiety.",
    ],
    toRecord: [
      "Record the report and link it to earlier ones: if the conduct continues or escalates, it can become a course of conduct amounting to harassment or stalking.",
    ],
    safeguarding: [SAFEGUARDING_FIRST, LOCAL],
    caveats: [CAVEAT_THINK_STALKING],
  });
}

/** Alarming or distressing but possibly lawful or reasonable (PHA s.1(3)): not yet a crime. */
function decideLawfulOrReasonable({ exPartnerRecord }: CourseFacts): DecisionOutcome {
  return outcome("not-a-crime", {
    reasons: [
      COURSE_REASON,
      "The conduct is alarming or distressing, but on your answer it could be lawful or reasonable. PHA s.1(3): harassment (and so stalking under s.2A, which needs harassment) does not apply to a course of conduct that the person shows was pursued to prevent or detect crime, under an enactment or rule of law, or that was reasonable in the circumstances.",
      "Whether a defence applies is for the person to show and for a court to decide: this outcome means the facts as given do not yet point to a crime, not that the victim's concern is unfounded.",
    ],
    alsoConsider: [
      RECONSIDER_STALKING,
      "Conduct that starts lawful can stop being reasonable: for example repeated visits after the person has been told to stop, or contact that goes beyond what the lawful purpose needs.",
    ],
    toRecord: [
      "Record the report, what made you think the conduct could be lawful or reasonable, and link it to earlier reports: if it continues, it may become harassment or stalking.",
      ...exPartnerRecord,
    ],
    safeguarding: [SAFEGUARDING_FIRST, SDASH_COURSE, LOCAL],
    caveats: [CAVEAT_THINK_STALKING],
  });
}

/** Why it is stalking (fixation, or the s.2A(3) acts when fixation is not known), and whether s.4A or s.2A. */
function stalkingReasons({ facts, seriousEffect, acts, effectReasons }: CourseFacts): string[] {
  const reasons = [COURSE_REASON, HARASSMENT_REASON];
  if (facts.fixation === "yes") {
    reasons.push(
      "The suspect is fixated on or obsessed with the victim: fixation or obsession is what distinguishes stalking from harassment (Suzy Lamplugh Trust; FOUR: fixated, obsessive, unwanted, repeated)."
    );
  } else {
    reasons.push(
      `Fixation is not known, but the conduct includes acts the Act gives as examples of stalking (PHA s.2A(3)): ${describeActs(
        acts.listedBeyondContact
      )}. Think stalking first (College of Policing).`,
      ASK_THE_VICTIM
    );
  }
  if (acts.statutory.length > 0 && facts.fixation === "yes") {
    reasons.push(`Acts associated with stalking listed in PHA s.2A(3): ${describeActs(acts.statutory)}.`);
  }
  if (acts.other.length > 0) {
    reasons.push(
      `Other acts associated with stalking (the s.2A(3) list is not exhaustive): ${describeActs(acts.other)}.`
    );
  }
  if (seriousEffect) {
    reasons.push(
      ...effectReasons,
      "Stalking with fear of violence on at least two occasions, or serious alarm or distress with a substantial adverse effect on usual day-to-day activities: PHA s.4A (either way; maximum 10 years since the Policing and Crime Act 2017 s.175)."
    );
  } else {
    reasons.push(
      "No fear of violence on two occasions and no serious alarm or distress with a substantial adverse effect on day-to-day activities is stated, so stalking under PHA s.2A rather than s.4A (s.2A is summary only: 51 weeks in the statute, read as 6 months until the Criminal Justice Act 2003 s.281(5) commences; the information must be laid within 6 months of the last incident)."
    );
  }
  return reasons;
}

/** Stalking: PHA s.4A with a serious effect, s.2A without. */
function decideStalking(conduct: CourseFacts): DecisionOutcome {
  const { facts, seriousEffect, connected, threatNote } = conduct;
  const s4a = seriousEffect;
  const alsoConsider: string[] = [...threatNote];
  if (connected && facts.controllingOrCoercive && !seriousEffect) {
    alsoConsider.push(
      "Controlling or coercive behaviour (SCA 2015 s.76) needs a serious effect (fear of violence twice, or serious alarm or distress with a substantial adverse effect): keep it under review if the effect becomes serious."
    );
  }
  if (facts.behaviours.includes("monitoring") || facts.behaviours.includes("publishing")) {
    alsoConsider.push(
      "Computer Misuse Act 1990 s.1 (unauthorised access to computer material) if the person got into the victim's accounts or devices without permission, alongside the stalking offence."
    );
  }
  return outcome(s4a ? "stalking-s4a" : "stalking-s2a", {
    reasons: stalkingReasons(conduct),
    alsoConsider,
    toRecord: [
      "The facts disclose stalking: record a crime of stalking (HOCR classification 8Q, its own classification since April 2014; before that, stalking was recorded under harassment, 8L).",
      RECORD_RULE,
      RECORD_INCLUDED,
      RECORD_HISTORY,
      RECORD_PATTERN,
    ],
    safeguarding: [SAFEGUARDING_FIRST, SDASH_COURSE, SPO, HELPLINE, ISAC, RESTRAINING, MASIP],
    caveats: [],
  });
}

/** Why it is harassment and not stalking: no fixation, or fixation not known and only acts common to harassment. */
function harassmentReasons({ facts, acts }: CourseFacts): string[] {
  const reasons = [COURSE_REASON, HARASSMENT_REASON];
  if (facts.fixation === "no") {
    reasons.push(
      acts.all.length > 0
        ? `Acts associated with stalking are present (${describeActs(
            acts.all
          )}), but on your answer the person is not fixated on or obsessed with the victim: fixation is what distinguishes stalking from harassment (Suzy Lamplugh Trust; FOUR), so harassment rather than stalking.`
        : "No fixation or obsession and no act associated with stalking (PHA s.2A(3)) is stated: harassment rather than stalking."
    );
  } else {
    reasons.push(
      acts.all.length > 0
        ? `Fixation is not known, and the only acts associated with stalking are ones that are part of much harassment (${describeActs(
            acts.all
          )}): harassment, unless fixation is found.`
        : "Fixation is not known and no act associated with stalking (PHA s.2A(3)) is stated: harassment, unless fixation is found.",
      ASK_THE_VICTIM
    );
  }
  return reasons;
}

/** Harassment without stalking: PHA s.4 with fear of violence on two occasions, s.2 otherwise. */
function decideHarassment(conduct: CourseFacts): DecisionOutcome {
  const { facts, threatNote, exPartnerRecord } = conduct;
  const harassReasons = harassmentReasons(conduct);
  const harassConsider = [...threatNote, RECONSIDER_STALKING];
  const harassRecord = [RECORD_RULE, RECORD_INCLUDED, RECORD_HISTORY, ...exPartnerRecord, RECORD_PATTERN];
  if (facts.fearOfViolenceTwice) {
    return outcome("harassment-s4", {
      reasons: [
        ...harassReasons,
        "The course of conduct caused the victim to fear, on at least two occasions, that violence would be used against them: putting people in fear of violence, PHA s.4 (either way; maximum 10 years since the Policing and Crime Act 2017 s.175). The fear is enough; violence need not happen.",
      ],
      alsoConsider: harassConsider,
      toRecord: [
        "The facts disclose the s.4 offence (putting people in fear of violence): record it under the harassment classification your force's counting rules give it.",
        ...harassRecord,
      ],
      safeguarding: [SAFEGUARDING_FIRST, SDASH_COURSE, RESTRAINING, LOCAL],
      caveats: [CAVEAT_THINK_STALKING],
    });
  }
  return outcome("harassment-s2", {
    reasons: [
      ...harassReasons,
      ...(facts.seriousAlarmOrDistress
        ? [
            "The victim suffered serious alarm or distress, but the s.4A limb for serious alarm or distress applies only to stalking; without stalking it stays harassment.",
          ]
        : []),
      "No fear of violence on at least two occasions is stated, so not PHA s.4: harassment, PHA s.2 (summary only; maximum 6 months and/or a fine; the information must be laid within 6 months of the last incident).",
    ],
    alsoConsider: harassConsider,
    toRecord: ["The facts disclose harassment: record a crime of harassment (HOCR classification 8L).", ...harassRecord],
    safeguarding: [SAFEGUARDING_FIRST, SDASH_COURSE, RESTRAINING, LOCAL],
    caveats: [CAVEAT_THINK_STALKING],
  });
}

// ------------------------------------------------------------------ the steps

/** The raw answers the page has collected: form values as posted (or booleans from YAML). */
export type DecisionAnswers = Partial<Record<DecisionStepId, string | boolean | string[]>>;

/**
 * When a step applies, as data (not a function) so DECISION_STEPS can be
 * serialised to the page unchanged. `is` lists accepted values; yes/no
 * questions compare as "yes"/"no" whether the answer came as a string or a
 * boolean.
 */
export type StepCondition =
  | { field: DecisionStepId; is: readonly string[] }
  | { all: readonly StepCondition[] }
  | { any: readonly StepCondition[] };

export type DecisionStepOption = { value: string; label: string; hint?: string; exclusive?: boolean };

export type DecisionStep = {
  id: DecisionStepId;
  question: string;
  hint: string;
  input: "radio" | "checkbox";
  options: readonly DecisionStepOption[];
  /** Leave out for a step that always applies. */
  when?: StepCondition;
};

export type DecisionStepId = keyof DecisionFacts;

const YES_NO: readonly DecisionStepOption[] = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No, or not known" },
];

const COURSE: StepCondition = { field: "occasions", is: ["two-or-more"] };

export const DECISION_STEPS: readonly DecisionStep[] = [
  {
    id: "occasions",
    question: "How many times has the person done something to the victim?",
    hint: "Count every occasion towards this victim, reported or not: calls, messages, visits, gifts, posts. Two occasions towards the same person can be enough for a course of conduct.",
    input: "radio",
    options: [
      { value: "one", label: "Once", hint: "One message, call, visit or incident" },
      { value: "two-or-more", label: "Two or more times", hint: "Towards the same victim" },
      {
        value: "once-each-to-several",
        label: "Once each to two or more people",
        hint: "For example one message to each of two sisters. This is not a course of conduct for harassment or stalking of either of them.",
      },
    ],
  },
  {
    id: "relationship",
    question: "Who is the person to the victim?",
    hint: "Stalkers can be ex-partners, acquaintances, colleagues or strangers. Choose the closest.",
    input: "radio",
    options: RELATIONSHIPS.map((value) => ({ value, label: RELATIONSHIP_LABELS[value] })),
  },
  {
    id: "behaviours",
    question: "What has the person done?",
    hint: "Choose all that apply. The first seven are the examples of acts associated with stalking in the Protection from Harassment Act 1997, s.2A(3). Each act may look trivial on its own: look at the pattern.",
    input: "checkbox",
    options: [
      ...BEHAVIOURS.map((value) => ({ value, label: BEHAVIOUR_LABELS[value] })),
      { value: "none", label: "None of these", exclusive: true },
    ],
    when: COURSE,
  },
  {
    id: "fixation",
    question: "Does the person seem fixated on, or obsessed with, the victim?",
    hint: "Think FOUR: fixated, obsessive, unwanted, repeated. Signs include persistence whatever the victim says, attention that keeps returning to them, and knowing where they go or what they do. A grievance about a dispute (a hedge, a bill, a job) is not by itself fixation on the person.",
    input: "radio",
    options: [
      { value: "yes", label: "Yes" },
      { value: "no", label: "No", hint: "You have asked, and the conduct is about something else, such as a dispute" },
      { value: "not-known", label: "Not known", hint: "The result will say what to ask the victim" },
    ],
    when: COURSE,
  },
  {
    id: "fearOfViolenceTwice",
    question: "Has the victim feared, on at least two occasions, that violence would be used against them?",
    hint: "The fear is enough: violence need not have happened or been threatened in words.",
    input: "radio",
    options: YES_NO,
    when: COURSE,
  },
  {
    id: "seriousAlarmOrDistress",
    question:
      "Has it caused the victim serious alarm or distress that has a substantial effect on their usual day-to-day life?",
    hint: "For example: moving home, changing their route or job, stopping going out, changing how they care for their children, taking time off work.",
    input: "radio",
    options: YES_NO,
    when: COURSE,
  },
  {
    id: "alarmingOrDistressing",
    question:
      "Would a reasonable person, knowing what you know, think the conduct alarming or distressing to the victim?",
    hint: "This is the harassment test (Protection from Harassment Act 1997, s.1 and s.7). Ordinary, reasonable contact (for example a lawful debt reminder) is not harassment.",
    input: "radio",
    options: YES_NO,
    when: {
      all: [COURSE, { field: "fearOfViolenceTwice", is: ["no"] }, { field: "seriousAlarmOrDistress", is: ["no"] }],
    },
  },
  {
    id: "couldBeReasonable",
    question: "Could the conduct be lawful or reasonable in the circumstances?",
    hint: "Protection from Harassment Act 1997, s.1(3): harassment does not apply to conduct pursued to prevent or detect crime, under a law or rule of law, or that was reasonable in the circumstances. For example a journalist asking for comment, a lawful debt reminder, or a customer posting a fair review. Answer no if it has gone beyond what that purpose needs.",
    input: "radio",
    options: [
      { value: "yes", label: "Yes, it could be" },
      { value: "no", label: "No" },
    ],
    when: {
      all: [
        COURSE,
        { field: "fearOfViolenceTwice", is: ["no"] },
        { field: "seriousAlarmOrDistress", is: ["no"] },
        { field: "alarmingOrDistressing", is: ["yes"] },
      ],
    },
  },
  {
    id: "controllingOrCoercive",
    question: "Is it a pattern of controlling or coercive behaviour towards the victim?",
    hint: "Repeated or continuous behaviour that controls their life: their money, movements, who they see, what they do, through threats, humiliation or intimidation. Partners, ex-partners and family members are covered, whether or not they live together.",
    input: "radio",
    options: YES_NO,
    when: {
      all: [
        COURSE,
        { field: "relationship", is: PERSONALLY_CONNECTED },
        {
          any: [
            { field: "fearOfViolenceTwice", is: ["yes"] },
            { field: "seriousAlarmOrDistress", is: ["yes"] },
          ],
        },
      ],
    },
  },
  {
    id: "messageKind",
    question: "Was the message (or any of the messages) one of these?",
    hint: "A single message can be an offence on its own. Since 31 January 2024, threats and false messages are Online Safety Act 2023 offences, not Malicious Communications Act offences.",
    input: "radio",
    options: MESSAGE_KINDS.map((value) => ({ value, label: MESSAGE_KIND_LABELS[value] })),
    when: {
      any: [
        { field: "occasions", is: ["one", "once-each-to-several"] },
        {
          all: [
            COURSE,
            { field: "fearOfViolenceTwice", is: ["no"] },
            { field: "seriousAlarmOrDistress", is: ["no"] },
            { field: "alarmingOrDistressing", is: ["no"] },
          ],
        },
      ],
    },
  },
];

function normalise(value: string | boolean | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === "boolean") return [value ? "yes" : "no"];
  return Array.isArray(value) ? value : [value];
}

function holds(condition: StepCondition, answers: DecisionAnswers): boolean {
  if ("all" in condition) return condition.all.every((c) => holds(c, answers));
  if ("any" in condition) return condition.any.some((c) => holds(c, answers));
  const given = normalise(answers[condition.field]);
  return given.some((value) => condition.is.includes(value));
}

export function isStepApplicable(step: DecisionStep, answers: DecisionAnswers): boolean {
  return step.when === undefined || holds(step.when, answers);
}

function isAnswered(step: DecisionStep, answers: DecisionAnswers): boolean {
  const values = normalise(answers[step.id]);
  return values.length > 0 && values.every((value) => step.options.some((option) => option.value === value));
}

/** The next applicable question without a valid answer, or null when the aid can decide. */
export function nextStep(answers: DecisionAnswers): DecisionStep | null {
  for (const step of DECISION_STEPS) {
    if (isStepApplicable(step, answers) && !isAnswered(step, answers)) return step;
  }
  return null;
}

/** The questions that apply to these answers, in order: for a "check your answers" page. */
export function applicableSteps(answers: DecisionAnswers): DecisionStep[] {
  return DECISION_STEPS.filter((step) => isStepApplicable(step, answers));
}

/**
 * Drops answers to questions that no longer apply (the user went back and
 * changed an earlier answer), so stale answers cannot steer the outcome.
 * Steps are evaluated in order, so a dropped answer cannot keep a later step alive.
 */
export function pruneAnswers(answers: DecisionAnswers): DecisionAnswers {
  const kept: DecisionAnswers = {};
  for (const step of DECISION_STEPS) {
    const value = answers[step.id];
    if (value !== undefined && isStepApplicable(step, kept)) kept[step.id] = value;
  }
  return kept;
}
