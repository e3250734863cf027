import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { certificates, cpdReflections, enrolments, lessonProgress, quizAttempts } from "#db/schema/index.ts";
import { deleteAccount } from "#app/models/platform/account-deletion.server.ts";
import { startModule } from "#app/models/learning/enrolment.server.ts";
import { cpdRecord, saveReflection } from "#app/models/learning/cpd.server.ts";
import { personalData } from "#app/models/platform/personal-data.server.ts";
import { createUser, importFixtures, sessionCookie, type TestUser } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { action as reflectionAction, loader as reflectionLoader } from "#app/routes/learning_.cpd.$enrolmentId.tsx";
import { loader as pageLoader } from "#app/routes/learning_.cpd._index.tsx";
import { loader as csvLoader } from "#app/routes/learning_.cpd.export[.csv].ts";
import { loader as pdfLoader } from "#app/routes/learning_.cpd.export[.pdf].ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);

const call = async <T,>(fn: (args: never) => Promise<T>, url: string, cookie: string, params: Record<string, string> = {}, init: RequestInit = {}) =>
  fn({ request: new Request(url, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } }), params, context: {} } as never);

const post = (fields: Record<string, string>) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});

async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected it to throw");
}

const status = (value: unknown) => (value instanceof Response ? value.status : (value as { init?: { status?: number } }).init?.status);

/**
 * A learner who completed sample-basics, with the recorded steps moved to known times:
 * start 09:00, lessons 09:10, 09:25 and (after lunch) 12:00, assessment 12:05 to 12:20.
 */
async function completedAt(learner: TestUser, day: string, endHourUtc = 12) {
  await completeModule(learner.id, "sample-basics");
  const [enrolment] = await handle.db.select({ id: enrolments.id }).from(enrolments).where(eq(enrolments.userId, learner.id));
  const id = enrolment!.id;
  const at = (time: string) => new Date(`${day}T${time}Z`);
  const end = `${String(endHourUtc).padStart(2, "0")}`;
  await handle.db.update(enrolments).set({ startedAt: at("09:00:00"), completedAt: at(`${end}:20:00`) }).where(eq(enrolments.id, id));
  const times: Record<string, string> = { first: "09:10:00", second: "09:25:00", sources: `${end}:00:00` };
  for (const [key, time] of Object.entries(times)) {
    await handle.db.update(lessonProgress).set({ completedAt: at(time) }).where(and(eq(lessonProgress.enrolmentId, id), eq(lessonProgress.lessonKey, key)));
  }
  await handle.db.update(quizAttempts).set({ startedAt: at(`${end}:05:00`), submittedAt: at(`${end}:20:00`) }).where(eq(quizAttempts.enrolmentId, id));
  return id;
}

test("the CPD record shows each completed module with measured time, outcomes and certificate, in a London-day date range", async () => {
  const learner = await createUser({ name: "Gwenllïan Ŵyn" });
  const id = await completedAt(learner, "2026-11-02");
  const [record] = await cpdRecord(learner.id);
  // 10 + 15 + 30 (2 h 35 min away, capped) + 5 + 15 minutes.
  expect(record!.minutesSpent).toBe(75);
  expect(record!.title).toBe("Sample basics");
  expect(record!.outcomes).toEqual(["Read three short lessons"]);
  const [cert] = await handle.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, id));
  expect(record!.certificateCode?.replace(/-/g, "")).toBe(cert!.code);
  expect(record!.reflection).toBeNull();

  expect(await cpdRecord(learner.id, { from: "2026-11-02", to: "2026-11-02" })).toHaveLength(1);
  expect(await cpdRecord(learner.id, { from: "2026-11-03" })).toHaveLength(0);
  expect(await cpdRecord(learner.id, { to: "2026-11-01" })).toHaveLength(0);

  // 23:20 UTC on 30 June is 00:20 on 1 July in London (BST): the record files it under 1 July.
  const summer = await createUser();
  await completedAt(summer, "2026-06-30", 23);
  expect(await cpdRecord(summer.id, { from: "2026-07-01", to: "2026-07-01" })).toHaveLength(1);
  expect(await cpdRecord(summer.id, { to: "2026-06-30" })).toHaveLength(0);

  // An open enrolment is not CPD yet.
  const partway = await createUser();
  await startModule({ userId: partway.id, slug: "sample-basics" });
  expect(await cpdRecord(partway.id)).toEqual([]);
});

test("a reflection is validated, saved, edited and private to its learner", async () => {
  const learner = await createUser();
  const other = await createUser();
  const id = await completedAt(learner, "2026-11-02");
  const cookie = await sessionCookie(learner);
  const url = `http://localhost/learning/cpd/${id}`;

  const empty = await call(reflectionAction, url, cookie, { enrolmentId: id }, post({ learned: "  ", apply: "" }));
  expect(status(empty)).toBe(400);
  const tooLong = await call(reflectionAction, url, cookie, { enrolmentId: id }, post({ learned: "x".repeat(4001), apply: "" }));
  expect(status(tooLong)).toBe(400);
  expect(await handle.db.select().from(cpdReflections)).toEqual([]);

  const saved = (await call(reflectionAction, url, cookie, { enrolmentId: id }, post({ learned: "Stalking is a course of conduct.\r\nFixation matters.", apply: "" }))) as Response;
  expect(saved.status).toBe(302);
  expect(saved.headers.get("Location")).toBe(`/learning/cpd?saved=${id}#entry-${id}`);
  await call(reflectionAction, url, cookie, { enrolmentId: id }, post({ learned: "Stalking is a course of conduct.", apply: "Ask about FOUR at the first call." }));
  const [record] = await cpdRecord(learner.id);
  expect(record!.reflection).toMatchObject({ learned: "Stalking is a course of conduct.", apply: "Ask about FOUR at the first call." });
  expect(await handle.db.select().from(cpdReflections).where(eq(cpdReflections.enrolmentId, id))).toHaveLength(1);

  // Someone else, with the id typed in: 404 on the page and the form, and nothing changes.
  const otherCookie = await sessionCookie(other);
  expect(status(await thrown(() => call(reflectionLoader, url, otherCookie, { enrolmentId: id })))).toBe(404);
  expect(status(await thrown(() => call(reflectionAction, url, otherCookie, { enrolmentId: id }, post({ learned: "Mine now", apply: "" }))))).toBe(404);
  expect(status(await thrown(() => call(reflectionAction, url, otherCookie, { enrolmentId: id }, post({ learned: "", apply: "" }))))).toBe(404);
  expect(await saveReflection(other.id, id, { learned: "Mine now", apply: "" })).toBe(false);
  expect(status(await thrown(() => call(reflectionLoader, "http://localhost/learning/cpd/not-a-uuid", cookie, { enrolmentId: "not-a-uuid" })))).toBe(404);
  const [still] = await cpdRecord(learner.id);
  expect(still!.reflection?.learned).toBe("Stalking is a course of conduct.");
});

test("the CSV and PDF exports read back with the dates asked, the measured time and the reflection", async () => {
  const learner = await createUser({ name: "Zoë Łukasiewicz-Ng" });
  const id = await completedAt(learner, "2026-11-02");
  await saveReflection(learner.id, id, { learned: "=SUM(A1) is how a course of conduct adds up", apply: "Gwenllïan's advice:\nrecord every incident." });
  const cookie = await sessionCookie(learner);
  const [cert] = await handle.db.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, id));
  const code = `${cert!.code.slice(0, 4)}-${cert!.code.slice(4, 8)}-${cert!.code.slice(8)}`;

  const csv = (await call(csvLoader, "http://localhost/learning/cpd/export.csv?from=2026-11-01&to=2026-11-30", cookie)) as Response;
  expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  const rows: string[][] = parse((await csv.text()).replace(/^\uFEFF/, ""), { relax_column_count: false });
  expect(rows).toEqual([
    ["Module", "Version", "Organisation", "Started", "Completed", "Minutes spent (measured)", "Outcomes", "Certificate code", "Certificate link", "What I learned", "How I will apply it"],
    [
      "Sample basics",
      "1",
      "",
      "2026-11-02",
      "2026-11-02",
      "75",
      "Read three short lessons",
      code,
      `http://localhost:3999/verify/${code}`,
      "'=SUM(A1) is how a course of conduct adds up",
      "Gwenllïan's advice:\nrecord every incident.",
    ],
  ]);
  const outside = (await call(csvLoader, "http://localhost/learning/cpd/export.csv?from=2026-12-01", cookie)) as Response;
  expect(parse((await outside.text()).replace(/^\uFEFF/, ""))).toHaveLength(1);

  const pdf = (await call(pdfLoader, "http://localhost/learning/cpd/export.pdf?from=2026-11-01&to=2026-11-30", cookie)) as Response;
  expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-cpd-"));
  const file = path.join(dir, "cpd.pdf");
  fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  fs.rmSync(dir, { recursive: true });
  expect(text).toContain("CPD record");
  expect(text).toContain("Zoë Łukasiewicz-Ng");
  expect(text).toContain("Modules completed from 1 November 2026 to 30 November 2026: 1 module, 1 hour 15 minutes measured.");
  expect(text).toContain("Sample basics, version 1");
  expect(text).toContain("Completed 2 November 2026 · time spent 1 hour 15 minutes");
  expect(text).toContain(`Certificate ${code}`);
  expect(text).toContain("• Read three short lessons");
  expect(text).toContain("What I learned =SUM(A1) is how a course of conduct adds up");
  expect(text).toContain("How I will apply it Gwenllïan's advice: record every incident.");
  expect(text).toContain("page 1 of 1");
});

test("a bad date range is a 400 that names the field, on the page and both exports", async () => {
  const learner = await createUser();
  const cookie = await sessionCookie(learner);
  const page = await call(pageLoader, "http://localhost/learning/cpd?from=2026-13-01", cookie);
  expect(status(page)).toBe(400);
  expect((page as unknown as { data: { errors: { from?: string } } }).data.errors.from).toBe("The from date must be a real date written as YYYY-MM-DD, like 2026-12-31");
  const backwards = await thrown(() => call(csvLoader, "http://localhost/learning/cpd/export.csv?from=2026-12-01&to=2026-11-01", cookie));
  expect(status(backwards)).toBe(400);
  expect(await (backwards as Response).text()).toBe("The to date must be the same as or after the from date");
  expect(status(await thrown(() => call(pdfLoader, "http://localhost/learning/cpd/export.pdf?to=0000-01-01", cookie)))).toBe(400);
});

test("reflections are in the learner's data export and go when the account is deleted", async () => {
  const learner = await createUser();
  const id = await completedAt(learner, "2026-11-02");
  await saveReflection(learner.id, id, { learned: "Course of conduct", apply: "At the first call" });
  const data = await personalData(learner.id);
  expect(data!.cpdReflections).toEqual([
    expect.objectContaining({ module: "sample-basics", title: "Sample basics", version: 1, learned: "Course of conduct", apply: "At the first call" }),
  ]);
  await deleteAccount(learner.id, learner.password);
  expect(await handle.db.select().from(cpdReflections).where(eq(cpdReflections.userId, learner.id))).toEqual([]);
  expect(await handle.db.select().from(cpdReflections).where(eq(cpdReflections.enrolmentId, id))).toEqual([]);
});
