import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { moduleVersions, modules } from "#db/schema/index.ts";
import { mdxStats } from "#app/content/compile-mdx.server.ts";
import { completeLesson, findEnrolment, startModule } from "#app/models/learning/enrolment.server.ts";
import { getCurrentVersion, getVersionById } from "#app/models/learning/module.server.ts";
import { createUser, FIXTURE_CONTENT, importFixtures } from "#tests/factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();

function copyFixtures(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-content-"));
  fs.cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  return dir;
}

test("a new module is published as version 1; importing unchanged content publishes and compiles nothing", async () => {
  const dir = copyFixtures();
  const first = await importFixtures(handle, dir);
  expect(first.problems).toEqual([]);
  expect(first.published).toEqual([{ slug: "sample-basics", version: 1 }]);

  const compilesBefore = mdxStats.compiles;
  const second = await importFixtures(handle, dir);
  expect(second.published).toEqual([]);
  expect(second.unchanged).toEqual(["sample-basics"]);
  expect(mdxStats.compiles).toBe(compilesBefore);
});

test("changing a lesson publishes a new version; a learner mid-way stays on theirs, a new learner gets the new one", async () => {
  const dir = copyFixtures();
  await importFixtures(handle, dir);
  const before = await getCurrentVersion("sample-basics");
  expect(before).not.toBeNull();

  const midway = await createUser();
  await startModule({ userId: midway.id, slug: "sample-basics" });
  await completeLesson({ userId: midway.id, slug: "sample-basics", lessonKey: "first" });

  const lesson = path.join(dir, "sample-basics", "02-second.mdx");
  fs.writeFileSync(lesson, fs.readFileSync(lesson, "utf8").replace("Look at the pattern", "Look hard at the whole pattern"));
  const report = await importFixtures(handle, dir);
  expect(report.published).toEqual([{ slug: "sample-basics", version: before!.version + 1 }]);

  const after = await getCurrentVersion("sample-basics");
  expect(after!.version).toBe(before!.version + 1);

  const midwayEnrolment = await findEnrolment(midway.id, "sample-basics");
  expect(midwayEnrolment!.moduleVersionId).toBe(before!.id);
  expect([...midwayEnrolment!.completedLessonKeys]).toEqual(["first"]);

  const newcomer = await createUser();
  const fresh = await startModule({ userId: newcomer.id, slug: "sample-basics" });
  expect(fresh.moduleVersionId).toBe(after!.id);

  // The old version is still there, unchanged.
  const old = await getVersionById(before!.id);
  expect(old!.version).toBe(before!.version);
});

test("a published version cannot be updated or deleted (the database refuses)", async () => {
  await importFixtures(handle, copyFixtures());
  const [row] = await handle.db.select({ id: moduleVersions.id }).from(moduleVersions).limit(1);
  // drizzle wraps the database's error: the reason is in its cause.
  const reason = (error: unknown) => String(error instanceof Error && error.cause instanceof Error ? error.cause.message : error);
  const update = await handle.db
    .update(moduleVersions)
    .set({ title: "Rewritten history" })
    .where(eq(moduleVersions.id, row!.id))
    .then(() => null, reason);
  expect(update).toMatch(/immutable/);
  const remove = await handle.db.delete(moduleVersions).where(eq(moduleVersions.id, row!.id)).then(() => null, reason);
  expect(remove).toMatch(/immutable/);
});

test("a module with a problem is not published and keeps its last good version", async () => {
  const dir = copyFixtures();
  await importFixtures(handle, dir);
  const good = await getCurrentVersion("sample-basics");
  const lesson = path.join(dir, "sample-basics", "01-first.mdx");
  fs.writeFileSync(lesson, fs.readFileSync(lesson, "utf8") + "\n<NotAComponent />\n");
  const report = await importFixtures(handle, dir);
  expect(report.published).toEqual([]);
  expect(report.problems.some((p) => /01-first\.mdx:\d+:\d+: unknown component <NotAComponent>/.test(p))).toBe(true);
  expect((await getCurrentVersion("sample-basics"))!.id).toBe(good!.id);
});

test("a module whose folder is removed is retired, with its versions kept", async () => {
  const dir = copyFixtures();
  await importFixtures(handle, dir);
  fs.rmSync(path.join(dir, "sample-basics"), { recursive: true });
  const report = await importFixtures(handle, dir);
  expect(report.retired).toContain("sample-basics");
  expect(await getCurrentVersion("sample-basics")).toBeNull();
  const [count] = await handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(modules.slug, "sample-basics"));
  expect(count!.n).toBeGreaterThan(0);
});
