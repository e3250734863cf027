import type { Offence } from "#app/utils/offences.ts";

/**
 * Three plain sentences for each outcome, shown under the answer before any
 * legal detail: what it looks like, how to record it, what to do now. An
 * officer at a front counter reads these; the statutes, HOCR rules and
 * referrals (from the rules in app/utils/decision-aid.ts) are one click
 * away in the disclosure below them. Keyed by the shared offence vocabulary,
 * so a new offence key fails the type check until it has its sentences.
 */
export const PLAIN_SUMMARY: Record<Offence, readonly [string, string, string]> = {
  "stalking-s2a": [
    "This looks like stalking: a pattern of unwanted behaviour by someone fixated on or obsessed with the victim.",
    "Record it as stalking, one crime for the whole pattern, not as separate incidents.",
    "Put the victim's safety first: complete the S-DASH risk checklist and give them the National Stalking Helpline number.",
  ],
  "stalking-s4a": [
    "This looks like the more serious stalking offence: the victim feared violence at least twice, or was so alarmed or distressed that it changed their daily life.",
    "Record it as stalking, one crime for the whole pattern, not as separate incidents.",
    "Put the victim's safety first: complete the S-DASH risk checklist and consider a Stalking Protection Order.",
  ],
  "harassment-s2": [
    "This looks like harassment: conduct on two or more occasions that a reasonable person would find alarming or distressing.",
    "Record the whole pattern, and look again for signs that the person is fixated on the victim: if they are, it is stalking.",
    "Check that the victim is safe, and complete the S-DASH risk checklist if they are frightened.",
  ],
  "harassment-s4": [
    "This looks like putting people in fear of violence: conduct that made the victim fear, on at least two occasions, that violence would be used against them.",
    "Record the whole pattern, and look for signs that the person is fixated on the victim: if they are, it is stalking.",
    "The victim fears violence: make them safe first and complete the S-DASH risk checklist.",
  ],
  "malicious-communications": [
    "This looks like a malicious communication: an indecent or grossly offensive message sent to cause distress or anxiety.",
    "Record it, and keep the message as evidence with who sent it and when.",
    "Ask whether there have been other messages or incidents: if there have, it may be harassment or stalking.",
  ],
  "threatening-communications": [
    "This looks like a threatening communication: a message that threatens death or serious harm.",
    "Record it, and keep the message as evidence with who sent it and when.",
    "Make the victim safe first, and ask whether there have been other messages or incidents: if there have, it may be harassment or stalking.",
  ],
  "controlling-coercive": [
    "This looks like controlling or coercive behaviour: repeated or continuous control of a partner, ex-partner or family member that has a serious effect on them.",
    "Record the whole pattern, and consider stalking too if the person is fixated on the victim.",
    "Put the victim's safety first and follow your force's domestic abuse risk assessment.",
  ],
  "not-a-crime": [
    "From these answers, no criminal offence is disclosed.",
    "Record the incident anyway, and search for earlier reports involving the same people: one incident can be the first of a pattern.",
    "Ask whether there have been other incidents, reported or not: if there have, answer again with two or more occasions.",
  ],
};
