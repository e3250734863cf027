import { and, desc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { emailOutbox, invitation, member, people, user } from "#db/schema/index.ts";
import { invitePerson } from "#app/models/organisations/invitation.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { importFixtures } from "#tests/factories.ts";
import { createOrganisation } from "#tests/org-factories.ts";
import { createAppHandler } from "#tests/remix-handler.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const app = await createAppHandler();
const ORIGIN = "http://localhost:3999";

function postForm(pathname: string, fields: Record<string, string>, cookie?: string) {
  return app(
    new Request(`${ORIGIN}${pathname}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
    }),
  );
}

async function signUpAndConfirm(email: string, name: string) {
  const signedUp = await postForm("/signup", { name, email, password: "three quiet lanterns", confirmPassword: "three quiet lanterns" });
  expect(signedUp.status).toBe(200);
  const [mail] = await handle.db
    .select({ text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, email), eq(emailOutbox.kind, "verify-email")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = /verify-email\?token=([^\s"&]+)/.exec(mail?.text ?? "")?.[1];
  expect(token).toBeDefined();
  const fields = { token: decodeURIComponent(token!) };
  return Object.assign(await postForm("/verify-email", fields), { again: () => postForm("/verify-email", fields) });
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

test("confirming the email address signs the learner in and takes them to their learning; the link does not sign in twice", async () => {
  const email = "new.learner@example.org";
  const confirmed = await signUpAndConfirm(email, "New Learner");
  expect(confirmed.status).toBe(302);
  expect(confirmed.headers.get("location")).toBe("/learning");
  const learning = await app(new Request(`${ORIGIN}/learning`, { headers: { Cookie: cookiesOf(confirmed) } }));
  expect(learning.status).toBe(200);
  expect(await learning.text()).toContain("New Learner");
  // The same link again confirms nothing new and signs no one in.
  const again = await confirmed.again();
  expect(again.status).toBe(302);
  expect(again.headers.get("location")).toBe("/login?notice=verified");
  expect(again.headers.get("set-cookie") ?? "").not.toMatch(/session_token=[^;]/);
});

test("someone who joins by email domain while invited to the same address becomes one person, with the invitation's staff number and team", async () => {
  const domain = "one-person.police.uk";
  const { org, lead } = await createOrganisation({ domains: [domain], seats: 5 });
  const teamId = await createTeam(lead, org.id, "Response North");
  const email = `pat.jones@${domain}`;
  await invitePerson(lead, org.id, { email, name: "Pat Jones", staffNumber: "K4411", rank: "PC", teamId, role: "member" });

  const confirmed = await signUpAndConfirm(email, "Pat Jones");
  expect(confirmed.headers.get("location")).toBe("/learning");

  const [account] = await handle.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  const rows = await handle.db
    .select({ status: people.status, staffNumber: people.staffNumber, teamId: people.teamId, userId: people.userId, role: people.role })
    .from(people)
    .where(eq(people.organizationId, org.id));
  expect(rows.filter((r) => r.userId === account!.id || r.staffNumber === "K4411")).toEqual([
    { status: "active", staffNumber: "K4411", teamId, userId: account!.id, role: "member" },
  ]);
  const memberships = await handle.db.select({ role: member.role }).from(member).where(and(eq(member.organizationId, org.id), eq(member.userId, account!.id)));
  expect(memberships).toEqual([{ role: "member" }]);
  const invitations = await handle.db.select({ status: invitation.status }).from(invitation).where(and(eq(invitation.organizationId, org.id), eq(invitation.email, email)));
  expect(invitations).toEqual([{ status: "accepted" }]);
});
