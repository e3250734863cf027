/**
 * Seeds the e2e server's fresh embedded database (DATA_DIR, before the
 * server opens it) with a force for the reports spec: people at every stage,
 * awkward names, two teams, two assignments, one person who left, and a
 * second force whose training lead must see none of it. Everything goes
 * through the models, as the app's own pages would write it. Creates no
 * platform admin (the suite makes its first admin through /setup).
 * Writes what the spec needs to tests/e2e/.state/reports-seed.json.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { importContent } from "#app/content/import.server.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { createOrganisationWithLead } from "#app/models/organisations/organisation.server.ts";
import { removePerson } from "#app/models/organisations/people.server.ts";
import { acceptInvitation, invitePerson } from "#app/models/organisations/invitation.server.ts";
import { getCurrentVersion, getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { startAttempt, submitAttempt } from "#app/models/learning/quiz-attempt.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { addDays, londonDate } from "#app/utils/assignment-status.ts";
import { migrateDatabase, projectRoot } from "#db/client.ts";
import { assignments, licences, quizAttempts } from "#db/schema/index.ts";
import { createUser } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { invitationToken } from "#tests/org-factories.ts";
import { answerFields } from "#tests/quiz-answers.ts";

/** Where the specs read what was seeded: tests/e2e/.state, or where tests/e2e/start-server.mjs --prepare asks. */
const stateDir = process.env.E2E_STATE_DIR ?? path.join(projectRoot(), "tests", "e2e", ".state");
/** In stateDir: the embedded database, migrated with the curriculum imported, as a PGlite dump (read by insight.spec.ts). */
const CURRICULUM_SNAPSHOT = "curriculum-db.tar.gz";
const password = crypto.randomBytes(12).toString("base64url");

const NAMES = [
  "Zoë O'Brien",
  "李雷",
  "Smith, John",
  'Jo "JJ" Bloggs',
  "=HYPERLINK(\"http://example.org\",\"click\")",
  "Łukasz Nowak",
  "Siobhán Ní Bhriain",
  "Aaliyah Khan",
  "+44 Caller",
  "Ben Carter",
  "Chloé Dubois",
  "Dev Patel",
  "@mention Person",
  "Erin Walsh",
  "Femi Adeyemi",
  "Gwen Price",
  "-Dash Start",
  "Harry Evans",
];

async function lead(organizationId: string, email: string, name: string) {
  const account = await createUser({ email, name, password });
  await acceptInvitation(await invitationToken(email), account);
  return account;
}

const { handle, lock } = await openConfiguredDatabase("e2e seed");
try {
  await migrateDatabase(handle);
  await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "content import at start" });
  // The insight spec runs its own server on a copy of the database as it is now (migrated, the
  // curriculum imported, nobody in it), instead of creating, migrating and importing another one.
  if (handle.pglite) {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, CURRICULUM_SNAPSHOT), Buffer.from(await (await handle.pglite.dumpDataDir("gzip")).arrayBuffer()));
  }
  const run = crypto.randomBytes(3).toString("hex");
  // Organisations are set up by trust staff; an author (not an admin, so /setup still makes the first admin).
  const actor = await createUser({ name: "Seed Author", email: `seed.author.${run}@trust.example.org`, role: "author", password });

  /** A year's licence, granted yesterday, as a platform admin's manual grant is recorded. */
  const seats = (organizationId: string, count: number, purchaseOrder: string) =>
    handle.db.insert(licences).values({
      organizationId,
      seats: count,
      validFrom: new Date(Date.now() - 86_400_000),
      validUntil: new Date(Date.now() + 365 * 86_400_000),
      source: "manual",
      purchaseOrder,
      createdBy: actor.id,
    });

  const org = await createOrganisationWithLead(actor, { name: `Reports Constabulary ${run}`, slug: `reports-${run}`, domains: [], leadName: "Rita Lead", leadEmail: `rita.${run}@force.example.org` });
  await seats(org.id, 50, `PO-${run}`);
  const rita = await lead(org.id, `rita.${run}@force.example.org`, "Rita Lead");
  const teams = {
    response: await createTeam(rita, org.id, "Response, Team A"),
    ppu: await createTeam(rita, org.id, "Public Protection Unit"),
  };
  const people: { name: string; email: string; userId: string; personId: string }[] = [];
  for (const [i, name] of NAMES.entries()) {
    const account = await createUser({ name, email: `p${i}.${run}@force.example.org`, password });
    const { personId } = await invitePerson(rita, org.id, {
      email: account.email,
      name,
      staffNumber: i % 5 === 4 ? `=${i}+1` : `K${String(1000 + i)}`,
      rank: "PC",
      teamId: i % 3 === 0 ? teams.response : i % 3 === 1 ? teams.ppu : null,
      role: "member",
    });
    await acceptInvitation(await invitationToken(account.email), account);
    people.push({ name, email: account.email, userId: account.id, personId });
  }
  const today = londonDate(new Date());
  await createAssignment(rita, org.id, { moduleSlug: "recognising-stalking", target: "organisation", teamId: null, personIds: [], dueDate: addDays(today, 30), dueDays: null });
  const lawAssignment = await createAssignment(rita, org.id, { moduleSlug: "the-law", target: "team", teamId: teams.response, personIds: [], dueDate: addDays(today, 14), dueDays: null });
  // The law module fell due a week ago (assignments cannot be made with a past date through the form).
  await handle.db.update(assignments).set({ dueDate: addDays(today, -7) }).where(eq(assignments.id, lawAssignment));

  const version = await getCurrentVersion("recognising-stalking");
  const bank = await getQuizBankWithAnswers(version!.id);
  // The London day the first learner completed (the CPD spec's record shows it; a run may cross midnight).
  let firstCompletedOn = "";
  for (const [i, person] of people.entries()) {
    if (i % 4 === 0) {
      await completeModule(person.userId, "recognising-stalking", { organizationId: org.id });
      firstCompletedOn ||= new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
    } else if (i % 4 === 1) await startModule({ userId: person.userId, slug: "recognising-stalking", organizationId: org.id });
    else if (i % 4 === 2) {
      // Started, and failed one attempt (wrong answers feed the confusion figures).
      await startModule({ userId: person.userId, slug: "recognising-stalking", organizationId: org.id });
      const attemptId = await startAttempt(person.userId, "recognising-stalking");
      const [attempt] = await handle.db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
      const questions = attempt!.questionIds.map((id) => bank!.questions.find((q) => q.id === id)!);
      await submitAttempt(person.userId, attemptId, answerFields(questions, (_q, n) => n % 2 === 0));
    }
  }
  const leaver = people[people.length - 1]!;
  await removePerson(rita, org.id, leaver.personId);

  const other = await createOrganisationWithLead(actor, { name: `Other Force ${run}`, slug: `other-${run}`, domains: [], leadName: "Olly Other", leadEmail: `olly.${run}@agency.example.org` });
  const olly = await lead(other.id, `olly.${run}@agency.example.org`, "Olly Other");

  // Forces of their own for the specs that change people and assignments, so that with several Playwright
  // workers none of them changes what another counts at the same time (ADR 043): the bad-input corpus
  // compares the other force's audit log before and after each post, and the reports spec compares its table
  // with an export made a moment later.
  const confirmOrg = await createOrganisationWithLead(actor, { name: `Confirm Force ${run}`, slug: `confirm-${run}`, domains: [], leadName: "Cora Confirm", leadEmail: `cora.${run}@agency.example.org` });
  const cora = await lead(confirmOrg.id, `cora.${run}@agency.example.org`, "Cora Confirm");
  const assignOrg = await createOrganisationWithLead(actor, { name: `Assign Force ${run}`, slug: `assign-${run}`, domains: [], leadName: "Asha Assign", leadEmail: `asha.${run}@force.example.org` });
  await seats(assignOrg.id, 10, `PO-A-${run}`);
  const asha = await lead(assignOrg.id, `asha.${run}@force.example.org`, "Asha Assign");
  // Someone who has joined, found by staff number; and the whole force assigned a module, as the reports force is.
  const joined = await createUser({ name: "李雷", email: `li.${run}@force.example.org`, password });
  await invitePerson(asha, assignOrg.id, { email: joined.email, name: joined.name, staffNumber: "K1001", rank: "PC", teamId: null, role: "member" });
  await acceptInvitation(await invitationToken(joined.email), joined);
  await createAssignment(asha, assignOrg.id, { moduleSlug: "recognising-stalking", target: "organisation", teamId: null, personIds: [], dueDate: addDays(today, 30), dueDays: null });

  // A force of its own for the SCORM spec (issue 19), so its learner's launch changes nothing the reports spec counts.
  const scormOrg = await createOrganisationWithLead(actor, { name: `Scorm Force ${run}`, slug: `scorm-${run}`, domains: [], leadName: "Sam Scorm", leadEmail: `sam.${run}@scorm.example.org` });
  await seats(scormOrg.id, 5, `PO-S-${run}`);
  const sam = await lead(scormOrg.id, `sam.${run}@scorm.example.org`, "Sam Scorm");
  const lowri = await createUser({ name: "Lowri Ŵyn", email: `lowri.${run}@scorm.example.org`, password });
  await invitePerson(sam, scormOrg.id, { email: lowri.email, name: lowri.name, staffNumber: null, rank: null, teamId: null, role: "member" });
  await acceptInvitation(await invitationToken(lowri.email), lowri);
  // The studio spec (issue 17): two authors, and a force of its own whose learners took
  // risk-and-response before the studio publishes a material change to it: one mid-way, one completed.
  const studioOrg = await createOrganisationWithLead(actor, { name: `Studio Force ${run}`, slug: `studio-${run}`, domains: [], leadName: "Sam Lead", leadEmail: `sam.${run}@force.example.org` });
  await seats(studioOrg.id, 10, `PO-studio-${run}`);
  const studioLead = await lead(studioOrg.id, `sam.${run}@force.example.org`, "Sam Lead");
  const studioPeople: Record<string, { email: string; userId: string }> = {};
  for (const [key, name] of [["midway", "Mia Midway"], ["completed", "Cal Completed"]] as const) {
    const account = await createUser({ name, email: `${key}.${run}@force.example.org`, password });
    await invitePerson(studioLead, studioOrg.id, { email: account.email, name, staffNumber: null, rank: "PC", teamId: null, role: "member" });
    await acceptInvitation(await invitationToken(account.email), account);
    studioPeople[key] = { email: account.email, userId: account.id };
  }
  // Assigned, so the lead's report has their rows (and shows who completed an older version).
  await createAssignment(studioLead, studioOrg.id, { moduleSlug: "risk-and-response", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 60 });
  await startModule({ userId: studioPeople.midway!.userId, slug: "risk-and-response", organizationId: studioOrg.id });
  await completeModule(studioPeople.completed!.userId, "risk-and-response", { organizationId: studioOrg.id });
  const authors = [];
  for (const name of ["Ava Author", "Ben Writer"]) {
    authors.push({ name, email: `${name.split(" ")[0]!.toLowerCase()}.${run}@trust.example.org`, password });
    await createUser({ name, email: authors[authors.length - 1]!.email, role: "author", password });
  }
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(
    path.join(stateDir, "studio-seed.json"),
    JSON.stringify({
      org: { slug: studioOrg.slug },
      lead: { email: studioLead.email, password },
      midway: { email: studioPeople.midway!.email, password },
      completed: { email: studioPeople.completed!.email, password },
      authors,
    }),
  );

  const counts = (await handle.db.execute(sql`select count(*)::int as n from report_rows where organization_id = ${org.id}`)) as unknown as { rows: { n: number }[] };
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(
    path.join(stateDir, "reports-seed.json"),
    JSON.stringify({
      org: { slug: org.slug, name: org.name },
      lead: { email: rita.email, password },
      otherLead: { email: olly.email, password },
      // The other force's id: the bad-input crawl keeps the platform admin's posts to its licences page.
      otherOrgId: other.id,
      confirm: { lead: { email: cora.email, password } },
      assign: { org: { slug: assignOrg.slug, name: assignOrg.name }, lead: { email: asha.email, password } },
      // A learner who completed a module (so has a certificate): the click-walk signs in as them.
      learner: { email: people[0]!.email, password, completedOn: firstCompletedOn },
      leaver: leaver.name,
      scorm: { org: { slug: scormOrg.slug }, lead: { email: sam.email, password }, learner: { email: lowri.email, password } },
      teams,
      rows: Number(counts.rows[0]!.n),
    }),
  );
  console.log(`e2e seed: ${org.slug}, ${people.length} people, ${counts.rows[0]!.n} report rows`);
} finally {
  await handle.close();
  lock?.release();
}
