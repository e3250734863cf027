import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, emailOutbox, organisationSettings } from "#db/schema/index.ts";
import { createAssignment } from "#app/models/organisations/assignment.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { sendWeeklyReportExports } from "#app/models/reporting/report-export.server.ts";
import { createTeam } from "#app/models/organisations/team.server.ts";
import { STATUS_LABELS } from "#app/utils/assignment-status.ts";
import { reportCsvLine, REPORT_CSV_HEADER } from "#app/utils/report-csv.ts";
import { importFixtures, sessionCookie } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { loader as exportLoader } from "#app/routes/org.$orgSlug.reports.export[.csv].ts";
import { action as reportsAction, loader as reportsLoader } from "#app/routes/org.$orgSlug.reports.tsx";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

/** A force with awkward names, two teams, and one person at each stage. */
async function force() {
  const { org, lead } = await createOrganisation({ seats: 50 });
  const response = await createTeam(lead, org.id, "Response, Team A");
  const hub = await createTeam(lead, org.id, "Victim Hub");
  const people = [
    await addLearner(org.id, lead, { name: "Zoë O'Brien, \"Zed\"", teamId: response, staffNumber: "=1+2" }),
    await addLearner(org.id, lead, { name: "李雷", teamId: hub, staffNumber: "A100" }),
    await addLearner(org.id, lead, { name: "Ann Other", teamId: null, staffNumber: "A101" }),
  ];
  await createAssignment(lead, org.id, { moduleSlug: "sample-basics", target: "organisation", teamId: null, personIds: [], dueDate: null, dueDays: 30 });
  await startModule({ userId: people[1]!.learner.id, slug: "sample-basics", organizationId: org.id });
  await completeModule(people[2]!.learner.id, "sample-basics", { organizationId: org.id });
  return { org, lead, people, teams: { response, hub } };
}

const call = async <T,>(fn: (args: never) => Promise<T>, url: string, cookie: string, params: Record<string, string>, init: RequestInit = {}) =>
  fn({ request: new Request(url, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } }), params, context: {} } as never);

async function status(fn: () => Promise<unknown>): Promise<number> {
  try {
    const result = await fn();
    if (result instanceof Response) return result.status;
    if (result && typeof result === "object" && "init" in result) return (result as { init: { status?: number } | null }).init?.status ?? 200;
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

type LoaderData = Exclude<Awaited<ReturnType<typeof reportsLoader>>, { init: unknown }>;

test("the dashboard counts every assigned person by status and lists them; the export holds the same rows, safely escaped", async () => {
  const { org, lead, people } = await force();
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  const data = (await call(reportsLoader, `${base}?module=sample-basics`, cookie, { orgSlug: org.slug })) as LoaderData;
  const report = data.report!;
  // The lead is a member too, so is assigned as well as the three learners.
  const names = report.page.rows.map((r) => r.name);
  for (const p of people) expect(names).toContain(p.learner.name);
  expect(report.summary.overall.total).toBe(report.page.total);
  expect(report.summary.overall.completed).toBe(report.page.rows.filter((r) => r.status === "completed").length);
  expect(report.summary.overall["in-progress"]).toBe(report.page.rows.filter((r) => r.status === "in-progress").length);
  expect(report.page.rows.find((r) => r.name === "Ann Other")?.status).toBe("completed");
  expect(report.page.rows.find((r) => r.name === "李雷")?.status).toBe("in-progress");

  const response = (await call(exportLoader, `${base}/export.csv?module=sample-basics`, cookie, { orgSlug: org.slug })) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="${org.slug}-training-report-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain("\r\n");
  const records = parse(text, { bom: true }) as string[][];
  expect(records[0]).toEqual([...REPORT_CSV_HEADER]);
  // The same rows, in the same order, as the page (written as the export writes them).
  expect(records.slice(1)).toEqual(parse(report.page.rows.map(reportCsvLine).join(""), {}));
  expect(records.slice(1).map((r) => r[1])).toEqual(report.page.rows.map((r) => r.name));
  expect(records.slice(1).map((r) => r[7])).toEqual(report.page.rows.map((r) => STATUS_LABELS[r.status]));
  // A staff number that would run as a formula is kept as text.
  expect(text).toContain(`"'=1+2"`);
  expect(records.slice(1).map((r) => r[1])).toContain("Zoë O'Brien, \"Zed\"");
});

test("filters narrow the table and the export alike; a bad filter is a 400 naming it, not a 500", async () => {
  const { org, lead, teams } = await force();
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  const data = (await call(reportsLoader, `${base}?team=${teams.hub}&status=in-progress`, cookie, { orgSlug: org.slug })) as LoaderData;
  expect(data.report!.page.rows.map((r) => r.name)).toEqual(["李雷"]);
  const csv = await ((await call(exportLoader, `${base}/export.csv?team=${teams.hub}&status=in-progress`, cookie, { orgSlug: org.slug })) as Response).text();
  expect((parse(csv, { bom: true }) as string[][]).slice(1).map((r) => r[1])).toEqual(["李雷"]);

  const other = await createOrganisation();
  const foreignTeam = await createTeam(other.lead, other.org.id, "Elsewhere");
  for (const [query, param] of [
    ["status=finished", "status"],
    ["dueFrom=2026-02-30", "dueFrom"],
    ["dueFrom=2026-05-01&dueTo=2026-04-01", "dueTo"],
    ["sort=password", "sort"],
    ["page=0", "page"],
    ["module=no-such-module", "module"],
    [`team=${foreignTeam}`, "team"],
  ] as const) {
    const result = (await call(reportsLoader, `${base}?${query}`, cookie, { orgSlug: org.slug })) as { init: { status: number }; data: { error: { param: string; message: string } } };
    expect(result.init.status, query).toBe(400);
    expect(result.data.error.param, query).toBe(param);
    expect(result.data.error.message.length, query).toBeGreaterThan(10);
    const exported = (await call(exportLoader, `${base}/export.csv?${query}`, cookie, { orgSlug: org.slug })) as Response;
    expect(exported.status, query).toBe(400);
    expect(await exported.text(), query).toBe(`${result.data.error.message}\n`);
  }
});

test("a training lead of another organisation gets 404 for the dashboard, the export and the weekly e-mail switch", async () => {
  const { org } = await force();
  const other = await createOrganisation();
  const cookie = await sessionCookie(other.lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  expect(await status(() => call(reportsLoader, base, cookie, { orgSlug: org.slug }))).toBe(404);
  expect(await status(() => call(exportLoader, `${base}/export.csv`, cookie, { orgSlug: org.slug }))).toBe(404);
  expect(await status(() => call(exportLoader, `${base}/export.csv?status=completed`, cookie, { orgSlug: org.slug }))).toBe(404);
  const form = new URLSearchParams({ intent: "weekly-export-on" });
  expect(
    await status(() => call(reportsAction, base, cookie, { orgSlug: org.slug }, { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } })),
  ).toBe(404);
  const [settings] = await handle.db.select().from(organisationSettings).where(eq(organisationSettings.organizationId, org.id));
  expect(settings?.weeklyExport ?? false).toBe(false);
});

test("the weekly e-mail: turned on by a lead (audited), sent once a week to each lead with the CSV attached, or a link when too large", async () => {
  const { org, lead } = await force();
  const cookie = await sessionCookie(lead);
  const base = `http://localhost/org/${org.slug}/reports`;
  const post = (intent: string) =>
    call(reportsAction, base, cookie, { orgSlug: org.slug }, { method: "POST", body: new URLSearchParams({ intent }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  expect(await status(() => post("weekly-export-sometimes"))).toBe(400);
  expect(await status(() => post("weekly-export-on"))).toBe(302);
  const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "reports.weekly-export-on")));
  expect(events).toHaveLength(1);

  const monday = new Date("2030-01-07T09:00:00Z");
  const mailsFor = () => handle.db.select().from(emailOutbox).where(and(eq(emailOutbox.recipient, lead.email), eq(emailOutbox.kind, "weekly-report-export")));
  await sendWeeklyReportExports(monday);
  await sendWeeklyReportExports(new Date("2030-01-09T09:00:00Z"));
  const mails = await mailsFor();
  expect(mails).toHaveLength(1);
  const attachment = mails[0]!.attachments![0]!;
  expect(attachment.filename).toMatch(new RegExp(`^${org.slug}-training-report-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = Buffer.from(attachment.content, "base64").toString("utf8");
  const exported = await ((await call(exportLoader, `${base}/export.csv`, cookie, { orgSlug: org.slug })) as Response).text();
  // Same rows as the download (the mail was built at a later clock; statuses of these rows do not depend on it).
  expect((parse(csv, { bom: true }) as string[][]).map((r) => r.slice(0, 7))).toEqual((parse(exported, { bom: true }) as string[][]).map((r) => r.slice(0, 7)));

  // The next week, with a tiny limit: figures and a link, nothing attached.
  await sendWeeklyReportExports(new Date("2030-01-14T09:00:00Z"), { limit: 100 });
  const next = (await mailsFor()).find((m) => m.id !== mails[0]!.id)!;
  expect(next.attachments).toBeNull();
  expect(next.text).toContain(`/org/${org.slug}/reports/export.csv`);

  expect(await status(() => post("weekly-export-off"))).toBe(302);
  await sendWeeklyReportExports(new Date("2030-01-21T09:00:00Z"));
  expect(await mailsFor()).toHaveLength(2);
});
