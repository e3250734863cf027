/**
 * The one key two spellings of a team name share: Unicode composition, case
 * and spacing do not matter ("North  Yorkshire " is "north yorkshire"). Used
 * wherever a team is found by name: the staff list's check, its apply, and
 * the teams page's duplicate check.
 */
export function teamKey(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleLowerCase("en-GB");
}
