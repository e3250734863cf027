/**
 * The one offence vocabulary shared by the whole platform: quiz questions,
 * the decision aid and the confusion reports all speak it. Changing a key
 * breaks stored answers: add new keys, never rename.
 */
import { FOUR_ELEMENTS, OFFENCES, type FourElement, type Offence } from "#db/schema/quiz-bank.ts";

export { FOUR_ELEMENTS, OFFENCES, type FourElement, type Offence };

export const OFFENCE_LABELS: Record<Offence, { short: string; long: string }> = {
  "stalking-s2a": { short: "Stalking (s.2A)", long: "Stalking, Protection from Harassment Act 1997 s.2A" },
  "stalking-s4a": {
    short: "Stalking with fear of violence or serious alarm or distress (s.4A)",
    long: "Stalking involving fear of violence or serious alarm or distress, Protection from Harassment Act 1997 s.4A",
  },
  "harassment-s2": { short: "Harassment (s.2)", long: "Harassment, Protection from Harassment Act 1997 s.2" },
  "harassment-s4": {
    short: "Putting people in fear of violence (s.4)",
    long: "Putting people in fear of violence, Protection from Harassment Act 1997 s.4",
  },
  "malicious-communications": {
    short: "Malicious communications",
    long: "Malicious Communications Act 1988 s.1 (indecent or grossly offensive communications)",
  },
  "threatening-communications": {
    short: "Threatening communications (Online Safety Act s.181)",
    long: "Threatening communications, Online Safety Act 2023 s.181",
  },
  "controlling-coercive": {
    short: "Controlling or coercive behaviour (SCA 2015 s.76)",
    long: "Controlling or coercive behaviour, Serious Crime Act 2015 s.76",
  },
  "not-a-crime": { short: "Not a crime", long: "No criminal offence is disclosed" },
};

export function isOffence(value: unknown): value is Offence {
  return typeof value === "string" && (OFFENCES as readonly string[]).includes(value);
}

export const FOUR_LABELS: Record<FourElement, string> = {
  fixated: "Fixated",
  obsessive: "Obsessive",
  unwanted: "Unwanted",
  repeated: "Repeated",
};
