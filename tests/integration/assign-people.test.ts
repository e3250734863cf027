import { and, eq, inArray } from "drizzle-orm";
import { expect, test } from "vitest";
import { assignmentPeople, assignments, emailOutbox } from "#db/schema/index.ts";
import { acceptInvitation, invitePerson } from "#app/models/organisations/invitation.server.ts";
import { getDb } from "#app/models/platform/db.server.ts";
import { action as newAssignmentAction } from "#app/routes/org.$orgSlug.assignments.new.tsx";
import { createUser, importFixtures, sessionCookie, uniqueEmail } from "#tests/factories.ts";
import { addLearner, createOrganisation, invitationToken } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

/** Posts the "Assign a module" form through its route action, as the browser would. */
async function postAssignment(orgSlug: string, cookie: string, fields: Record<string, string>): Promise<unknown> {
  const request = new Request(`http://localhost:3999/org/${orgSlug}/assignments/new`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  });
  try {
    return await newAssignmentAction({ request, params: { orgSlug }, context: {} } as never);
  } catch (thrown) {
    return thrown;
  }
}

async function assignedEmails(assignmentId: string): Promise<string[]> {
  const rows = await getDb()
    .select({ personId: assignmentPeople.personId })
    .from(assignmentPeople)
    .where(eq(assignmentPeople.assignmentId, assignmentId));
  return rows.map((r) => r.personId);
}

async function mailsTo(emails: string[]) {
  return getDb()
    .select({ recipient: emailOutbox.recipient, subject: emailOutbox.subject, text: emailOutbox.text, kind: emailOutbox.kind })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.recipient, emails), eq(emailOutbox.kind, "assignment")));
}

test("assigning a module to named people by email and staff number posts through the form and assigns exactly them", async () => {
  const { org, lead } = await createOrganisation({ seats: 20 });
  const ann = await addLearner(org.id, lead, { name: "Ann Able", staffNumber: "AB 100" });
  const ben = await addLearner(org.id, lead, { name: "Ben Baker", staffNumber: "BB200" });
  await addLearner(org.id, lead, { name: "Cat Not Chosen", staffNumber: "CC300" });
  const cookie = await sessionCookie(lead);

  // Emails in any case, staff numbers in any case and spacing, separated by lines, commas or semicolons.
  const response = await postAssignment(org.slug, cookie, {
    module: "sample-basics",
    target: "people",
    people: `${ann.learner.email.toUpperCase()}\n bb200 ;`,
    dueType: "days",
    dueDays: "30",
  });
  expect(response).toBeInstanceOf(Response);
  const redirect = response as Response;
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get("Location") ?? "";
  expect(location).toMatch(new RegExp(`^/org/${org.slug}/assignments/[0-9a-f-]{36}\\?created=1$`));
  const assignmentId = location.split("/").at(-1)!.split("?")[0]!;
  expect((await assignedEmails(assignmentId)).sort()).toEqual([ann.personId, ben.personId].sort());

  // By staff number alone, with its inner space written differently.
  const byNumber = (await postAssignment(org.slug, cookie, { module: "sample-basics", target: "people", people: "ab 100", dueType: "none" })) as Response;
  expect(byNumber.status).toBe(302);
  const secondId = (byNumber.headers.get("Location") ?? "").split("/").at(-1)!.split("?")[0]!;
  expect(await assignedEmails(secondId)).toEqual([ann.personId]);
});

test("named people who are not in the organisation are a 400 on the people field, and nothing is assigned", async () => {
  const { org, lead } = await createOrganisation({ seats: 20 });
  const ann = await addLearner(org.id, lead, { name: "Ann Able", staffNumber: "AB100" });
  const other = await createOrganisation({ seats: 5 });
  const outsider = await addLearner(other.org.id, other.lead, { name: "Out Sider", staffNumber: "ZZ999" });
  const cookie = await sessionCookie(lead);

  const reply = (await postAssignment(org.slug, cookie, {
    module: "sample-basics",
    target: "people",
    people: `${ann.learner.email}\n${outsider.learner.email}\nZZ999`,
    dueType: "none",
  })) as { init: { status: number } | null; data: { result: { error?: Record<string, string[] | null> } } };
  expect(reply.init?.status).toBe(400);
  expect(reply.data.result.error?.people).toEqual([`No one in ${org.name} has these emails or staff numbers: ${outsider.learner.email}, ZZ999`]);
  const made = await getDb().select({ id: assignments.id }).from(assignments).where(eq(assignments.organizationId, org.id));
  expect(made).toEqual([]);
});

test("assigning mails only the people who have joined; an invited person is mailed their assignments when they accept", async () => {
  const { org, lead } = await createOrganisation({ seats: 20, name: "Mailtown Police" });
  const joined = await addLearner(org.id, lead, { name: "Jo Joined", staffNumber: "J1" });
  const invitedEmail = uniqueEmail("invited");
  await invitePerson(lead, org.id, { email: invitedEmail, name: "Ivy Invited", staffNumber: "I1", rank: null, teamId: null, role: "member" });
  const cookie = await sessionCookie(lead);

  const response = (await postAssignment(org.slug, cookie, { module: "sample-basics", target: "people", people: `J1\nI1`, dueType: "date", dueDate: "2099-03-31" })) as Response;
  expect(response.status).toBe(302);

  const afterAssigning = await mailsTo([joined.learner.email, invitedEmail]);
  expect(afterAssigning.map((m) => m.recipient)).toEqual([joined.learner.email]);

  const account = await createUser({ email: invitedEmail, name: "Ivy Invited" });
  await acceptInvitation(await invitationToken(invitedEmail), account);
  const onAccepting = (await mailsTo([invitedEmail]))[0];
  expect(onAccepting?.subject).toBe("New training from Mailtown Police: Sample basics");
  expect(onAccepting?.text).toContain("Mailtown Police has asked you to complete “Sample basics” on Distinct by 31 March 2099.");
  // The person who had joined is not mailed again.
  expect((await mailsTo([joined.learner.email])).length).toBe(1);
});
