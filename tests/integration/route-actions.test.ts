/**
 * Route actions that pages post to, called the way Remix calls them: a
 * form-encoded POST built like the browser's, with the signed-in cookie, and
 * the fields the page's form sends (its hidden "intent" included). Each
 * checks the answer (redirect or 4xx naming the field) and what changed.
 *
 * The people, team and assignment forms post the intents they have today
 * (update, resend, revoke, remove; rename, delete; extend, withdraw): a
 * confirmation step added in front of a delete changes what the page posts
 * first, not these actions' intents.
 */
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { assignments, emailOutbox, enrolments, invitation, people, rateLimits, session, team } from "#db/schema/index.ts";
import { action as apiAuthAction } from "#app/routes/api.auth.$.ts";
import { action as assignmentAction } from "#app/routes/org.$orgSlug.assignments.$assignmentId.tsx";
import { action as certificatesAction } from "#app/routes/certificates._index.tsx";
import { action as logoutAction } from "#app/routes/logout.tsx";
import { action as personAction } from "#app/routes/org.$orgSlug.people.$personId.tsx";
import { action as teamsAction } from "#app/routes/org.$orgSlug.teams.tsx";
import { createAssignment, learnerAssignments } from "#app/models/organisations/assignment.server.ts";
import { invitePerson } from "#app/models/organisations/invitation.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { getEnv } from "#app/services/env.server.ts";
import { runWithRequestContext } from "#app/services/request-context.server.ts";
import { requireUser } from "#app/services/session.server.ts";
import { createUser, importFixtures, sessionCookie } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation, personRow } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

type ActionFn = (args: { request: Request; params: Record<string, string | undefined>; context: never }) => Promise<unknown>;
const ORIGIN = "http://localhost:3999";

/** A browser's form post: urlencoded body, same-origin, with the session cookie. */
function formPost(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: ORIGIN,
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
}

/** The action's answer: a Response (redirect, or thrown 4xx) or Remix's data() result. */
async function post(fn: ActionFn, path: string, fields: Record<string, string>, options: { cookie?: string; params?: Record<string, string> } = {}) {
  try {
    return await fn({ request: formPost(path, fields, options.cookie), params: options.params ?? {}, context: undefined as never });
  } catch (thrown) {
    return thrown;
  }
}

function redirectTo(answer: unknown): string | null {
  expect(answer).toBeInstanceOf(Response);
  const response = answer as Response;
  expect(response.status).toBe(302);
  return response.headers.get("Location");
}

type DataReply<T> = { data: T; init: { status: number } | null };
function dataReply<T>(answer: unknown): DataReply<T> {
  expect(answer).toHaveProperty("init");
  return answer as DataReply<T>;
}

async function orgWithLead(name: string) {
  const created = await createOrganisation({ name, seats: 10 });
  return { ...created, cookie: await sessionCookie(created.lead) };
}

test("person page: the details form (intent update) saves and redirects; a blank name is a 400 naming it", async () => {
  const { org, lead, cookie } = await orgWithLead("Update Police");
  const teamId = await createTeam(lead, org.id, "Neighbourhood North");
  const { personId } = await addLearner(org.id, lead, { name: "Pat Person" });
  const path = `/org/${org.slug}/people/${personId}`;
  const params = { orgSlug: org.slug, personId };
  const saved = await post(personAction, path, { intent: "update", name: "Pat Personne", staffNumber: "NN4521", rank: "PS", teamId, role: "member" }, { cookie, params });
  expect(redirectTo(saved)).toBe(`${path}?saved=1`);
  expect(await personRow(personId)).toMatchObject({ name: "Pat Personne", staffNumber: "NN4521", rank: "PS", teamId, role: "member" });

  const blank = dataReply<{ result: { error: Record<string, string[]> } }>(await post(personAction, path, { intent: "update", name: "", staffNumber: "", rank: "", teamId: "", role: "member" }, { cookie, params }));
  expect(blank.init?.status).toBe(400);
  expect(Object.keys(blank.data.result.error)).toEqual(["name"]);
  expect((await personRow(personId)).name).toBe("Pat Personne");
});

test("person page: resend (intent resend) mails a new invitation; withdraw (intent revoke) deletes the invited person", async () => {
  const { org, lead, cookie } = await orgWithLead("Resend Police");
  const { personId } = await invitePerson(lead, org.id, { email: "ivor.invited@example.org", name: "Ivor Invited", staffNumber: null, rank: null, teamId: null, role: "member" });
  const path = `/org/${org.slug}/people/${personId}`;
  const params = { orgSlug: org.slug, personId };
  const resent = await post(personAction, path, { intent: "resend" }, { cookie, params });
  expect(redirectTo(resent)).toBe(`${path}?resent=1`);
  const mails = await handle.db.select({ kind: emailOutbox.kind }).from(emailOutbox).where(eq(emailOutbox.recipient, "ivor.invited@example.org"));
  expect(mails.map((m) => m.kind)).toEqual(["invitation", "invitation"]);

  const revoked = await post(personAction, path, { intent: "revoke" }, { cookie, params });
  expect(redirectTo(revoked)).toBe(`/org/${org.slug}/people?withdrawn=Ivor+Invited+%28ivor.invited%40example.org%29`);
  expect(await handle.db.select().from(people).where(eq(people.id, personId))).toEqual([]);
  const pending = await handle.db.select().from(invitation).where(and(eq(invitation.email, "ivor.invited@example.org"), eq(invitation.status, "pending")));
  expect(pending).toEqual([]);
});

test("person page: remove (intent remove) marks them left; an unknown intent is a 400; another organisation's person a 404", async () => {
  const { org, lead, cookie } = await orgWithLead("Remove Police");
  const { personId } = await addLearner(org.id, lead);
  const path = `/org/${org.slug}/people/${personId}`;
  const params = { orgSlug: org.slug, personId };
  const unknown = dataReply<unknown>(await post(personAction, path, { intent: "delete-everything" }, { cookie, params }));
  expect(unknown.init?.status).toBe(400);
  expect((await personRow(personId)).status).toBe("active");

  const removed = await post(personAction, path, { intent: "remove" }, { cookie, params });
  expect(redirectTo(removed)).toBe(`${path}?removed=1`);
  expect((await personRow(personId)).status).toBe("left");

  const other = await orgWithLead("Other Police");
  const stranger = await addLearner(other.org.id, other.lead);
  const refused = await post(personAction, `/org/${org.slug}/people/${stranger.personId}`, { intent: "remove" }, { cookie, params: { orgSlug: org.slug, personId: stranger.personId } });
  expect((refused as Response).status).toBe(404);
  expect((await personRow(stranger.personId)).status).toBe("active");
});

test("person page: a learner (not a training lead) posting to it is refused and changes nothing", async () => {
  const { org, lead } = await orgWithLead("Learner Refused Police");
  const { learner, personId } = await addLearner(org.id, lead);
  const target = await addLearner(org.id, lead);
  const cookie = await sessionCookie(learner);
  const answer = await post(personAction, `/org/${org.slug}/people/${target.personId}`, { intent: "remove" }, { cookie, params: { orgSlug: org.slug, personId: target.personId } });
  expect(answer).toBeInstanceOf(Response);
  expect((answer as Response).status).toBe(403);
  expect((await personRow(target.personId)).status).toBe("active");
  expect((await personRow(personId)).status).toBe("active");
});

test("assignment page: extend (intent extend) sets the person's due date and is audited; a past date is a 400 naming dueDate; withdraw ends it", async () => {
  const { org, lead, cookie } = await orgWithLead("Extend Police");
  const { learner, personId } = await addLearner(org.id, lead);
  const assignmentId = await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "people", teamId: null, personIds: [personId], dueDate: "2026-01-10", dueDays: null });
  const path = `/org/${org.slug}/assignments/${assignmentId}`;
  const params = { orgSlug: org.slug, assignmentId };

  const past = dataReply<{ errors: Record<string, string[]> }>(await post(assignmentAction, path, { intent: "extend", personId, dueDate: "2020-01-01", reason: "Long-term sick leave" }, { cookie, params }));
  expect(past.init?.status).toBe(400);
  expect(past.data.errors).toEqual({ dueDate: ["The new due date must be today or later"] });
  const noReason = dataReply<{ errors: Record<string, string[]> }>(await post(assignmentAction, path, { intent: "extend", personId, dueDate: "2099-03-31", reason: "" }, { cookie, params }));
  expect(noReason.init?.status).toBe(400);
  expect(noReason.data.errors.reason).toEqual(["Enter the reason for the extension"]);

  const extended = await post(assignmentAction, path, { intent: "extend", personId, dueDate: "2099-03-31", reason: "Long-term sick leave" }, { cookie, params });
  expect(redirectTo(extended)).toBe(`${path}?extended=1`);
  expect((await learnerAssignments(learner.id))[0]).toMatchObject({ due: "2099-03-31", status: "not-started" });

  const withdrawn = await post(assignmentAction, path, { intent: "withdraw" }, { cookie, params });
  expect(redirectTo(withdrawn)).toBe(`/org/${org.slug}/assignments?withdrawn=Sample+basics&people=1`);
  const [row] = await handle.db.select({ withdrawnAt: assignments.withdrawnAt }).from(assignments).where(eq(assignments.id, assignmentId));
  expect(row!.withdrawnAt).toBeInstanceOf(Date);
  expect(await learnerAssignments(learner.id)).toEqual([]);
  // Withdrawn: no longer an assignment of this organisation.
  const again = await post(assignmentAction, path, { intent: "withdraw" }, { cookie, params });
  expect((again as Response).status).toBe(404);
});

test("teams page: create, rename (intent rename) and delete (intent delete); a blank name is a 400 with its message", async () => {
  const { org, cookie } = await orgWithLead("Teams Police");
  const path = `/org/${org.slug}/teams`;
  const params = { orgSlug: org.slug };
  expect(redirectTo(await post(teamsAction, path, { intent: "create", name: "Response Team A" }, { cookie, params }))).toBe(path);
  const [created] = await handle.db.select({ id: team.id, name: team.name }).from(team).where(eq(team.organizationId, org.id));
  expect(created!.name).toBe("Response Team A");

  const blank = dataReply<{ error: string; teamId: string | null }>(await post(teamsAction, path, { intent: "rename", teamId: created!.id, name: "  " }, { cookie, params }));
  expect(blank.init?.status).toBe(400);
  // Shown at that team's rename field, not at "New team".
  expect(blank.data.teamId).toBe(created!.id);
  expect(blank.data.error).toBe("Enter the team's name");

  expect(redirectTo(await post(teamsAction, path, { intent: "rename", teamId: created!.id, name: "Response Team North" }, { cookie, params }))).toBe(path);
  expect((await handle.db.select({ name: team.name }).from(team).where(eq(team.id, created!.id)))[0]!.name).toBe("Response Team North");

  expect(redirectTo(await post(teamsAction, path, { intent: "delete", teamId: created!.id }, { cookie, params }))).toBe(`${path}?deleted=Response+Team+North&moved=0`);
  expect(await handle.db.select().from(team).where(eq(team.id, created!.id))).toEqual([]);
  const gone = await post(teamsAction, path, { intent: "delete", teamId: created!.id }, { cookie, params });
  expect((gone as Response).status).toBe(404);
});

test("certificates page: Renew (intent recertify) starts the module again and goes to it; an unknown module is a 404", async () => {
  const learner = await createUser();
  await completeModule(learner.id, "sample-basics");
  const cookie = await sessionCookie(learner);
  const renewed = await post(certificatesAction, "/certificates", { intent: "recertify", slug: "sample-basics" }, { cookie });
  expect(redirectTo(renewed)).toBe("/modules/sample-basics");
  const open = await handle.db.select({ completedAt: enrolments.completedAt }).from(enrolments).where(eq(enrolments.userId, learner.id));
  expect(open.map((e) => e.completedAt === null).sort()).toEqual([false, true]);

  const unknown = await post(certificatesAction, "/certificates", { intent: "recertify", slug: "no-such-module" }, { cookie });
  expect((unknown as Response).status).toBe(404);
  const wrongIntent = await post(certificatesAction, "/certificates", { intent: "delete", slug: "sample-basics" }, { cookie });
  expect((wrongIntent as Response).status).toBe(400);
});

test("sign out (POST /logout) ends the session in the database and clears both session cookies", async () => {
  const user = await createUser();
  const cookie = await sessionCookie(user);
  expect((await requireUser(new Request(`${ORIGIN}/learning`, { headers: { Cookie: cookie } }))).id).toBe(user.id);
  expect(await handle.db.select({ id: session.id }).from(session).where(eq(session.userId, user.id))).toHaveLength(1);
  const answer = await post(logoutAction, "/logout", {}, { cookie });
  expect(redirectTo(answer)).toBe("/login?notice=signed-out");
  const cleared = (answer as Response).headers.getSetCookie().map((c) => c.split(";")[0]);
  expect(cleared).toEqual(expect.arrayContaining(["distinct.session_token=", "distinct.session_data="]));
  expect(await handle.db.select({ id: session.id }).from(session).where(eq(session.userId, user.id))).toEqual([]);
  // The token alone no longer signs in. (A copied signed cache cookie would, for up to 5 minutes: ADR 005.)
  const token = cookie.split("; ").filter((c) => c.startsWith("distinct.session_token=")).join("; ");
  const after = await requireUser(new Request(`${ORIGIN}/learning`, { headers: { Cookie: token } })).catch((thrown: unknown) => thrown);
  expect(after).toBeInstanceOf(Response);
  expect((after as Response).headers.get("Location")).toBe("/login?redirectTo=%2Flearning");
});

test("better-auth's HTTP API: sign-in past the limit for one address is a 429 with Retry-After; other addresses and sign-up are counted apart", async () => {
  const user = await createUser();
  const signIn = (address: string) =>
    runWithRequestContext({ clientAddress: address, appendSetCookie: () => undefined }, () =>
      apiAuthAction({
        request: new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: "POST",
          body: JSON.stringify({ email: user.email, password: user.password }),
          headers: { "Content-Type": "application/json", Origin: ORIGIN },
        }),
        params: {},
        context: undefined as never,
      }),
    );
  const first = await signIn("203.0.113.7");
  expect(first.status).toBe(200);
  const [bucket] = await handle.db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, "auth:sign-in:203.0.113.7"));
  expect(bucket!.count).toBe(1);
  // Spend the rest of this address's allowance (AUTH_RATE_LIMIT attempts per window).
  await handle.db.update(rateLimits).set({ count: getEnv().AUTH_RATE_LIMIT }).where(eq(rateLimits.key, "auth:sign-in:203.0.113.7"));
  const limited = await signIn("203.0.113.7");
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ code: "TOO_MANY_REQUESTS" });
  expect((await signIn("198.51.100.20")).status).toBe(200);
  const signUp = await runWithRequestContext({ clientAddress: "203.0.113.7", appendSetCookie: () => undefined }, () =>
    apiAuthAction({
      request: new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        body: JSON.stringify({ name: "Sid Signup", email: "sid.signup@example.org", password: "three random words" }),
        headers: { "Content-Type": "application/json", Origin: ORIGIN },
      }),
      params: {},
      context: undefined as never,
    }),
  );
  expect(signUp.status).toBe(200);
});
