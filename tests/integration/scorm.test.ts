import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditEvents, moduleVersions, modules, scormLaunches } from "#db/schema/index.ts";
import { createScormPackage, launchResult, launchToken, openLaunch, revokeScormPackage, scormPackageZip } from "#app/models/learning/scorm.server.ts";
import { anonymisePersonIn } from "#app/models/platform/anonymise.server.ts";
import { getQuizBankWithAnswers } from "#app/models/learning/module.server.ts";
import { createUser, importFixtures } from "#tests/factories.ts";
import { completeModule } from "#tests/journeys.ts";
import { addLearner, createOrganisation } from "#tests/org-factories.ts";
import { openTestDatabase } from "./database.ts";

const handle = await openTestDatabase();
await importFixtures(handle);
const XSD_DIR = path.resolve(import.meta.dirname, "..", "fixtures", "scorm12-xsd");
const KEY = "a1".repeat(24);

async function sampleVersion() {
  const [row] = await handle.db
    .select({ id: moduleVersions.id })
    .from(moduleVersions)
    .innerJoin(modules, eq(modules.id, moduleVersions.moduleId))
    .where(eq(modules.slug, "sample-basics"));
  return row!.id;
}

async function thrownStatus(fn: () => Promise<unknown>): Promise<number | undefined> {
  try {
    await fn();
  } catch (error) {
    return (error as { status?: number }).status;
  }
  throw new Error("expected it to throw");
}

test("the package's imsmanifest.xml validates against the SCORM 1.2 schemas, and the zip carries no question or answer", async () => {
  const { org, lead } = await createOrganisation({ name: "Alpha <&> Constabulary" });
  const versionId = await sampleVersion();
  const packageId = (await createScormPackage(lead, org.id, versionId))!;
  const file = (await scormPackageZip(org.id, packageId))!;
  expect(file.filename).toBe("distinct-scorm12-sample-basics-v1.zip");
  const entries = unzipSync(file.zip);
  expect(Object.keys(entries).sort()).toEqual(["distinct-sco.js", "imsmanifest.xml", "launch.html"]);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-scorm-"));
  const manifest = path.join(dir, "imsmanifest.xml");
  fs.writeFileSync(manifest, entries["imsmanifest.xml"]!);
  // xmllint exits non-zero (and this throws) on any schema error.
  const out = execFileSync("xmllint", ["--noout", "--schema", path.join(XSD_DIR, "scorm12.xsd"), manifest], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(out).toBe("");
  fs.rmSync(dir, { recursive: true });
  const xml = strFromU8(entries["imsmanifest.xml"]!);
  expect(xml).toContain("<schemaversion>1.2</schemaversion>");
  expect(xml).toContain('adlcp:scormtype="sco" href="launch.html"');
  expect(xml).toContain("<adlcp:masteryscore>75</adlcp:masteryscore>");

  const everything = Object.values(entries).map((bytes) => strFromU8(bytes)).join("\n");
  expect(everything).toContain(launchToken(packageId, org.id));
  const bank = await getQuizBankWithAnswers(versionId);
  for (const q of bank!.questions) {
    expect(everything).not.toContain(q.explanation);
    expect(everything).not.toContain(q.type === "classify" ? q.scenario : q.prompt);
  }
  const [event] = await handle.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, packageId));
  expect(event!.action).toBe("scorm.package-exported");
});

test("a launch binds the SCO's key to the signed-in member, and the result says passed with the score only when the module is complete", async () => {
  const { org, lead } = await createOrganisation();
  const { learner, personId } = await addLearner(org.id, lead);
  const packageId = (await createScormPackage(lead, org.id, await sampleVersion()))!;
  const token = launchToken(packageId, org.id);

  expect(await launchResult(token, KEY)).toEqual({ state: "waiting", scoreRaw: null });
  expect(await openLaunch(learner.id, { token, key: KEY, lmsLearnerId: "moodle-42" })).toEqual({ slug: "sample-basics" });
  expect(await launchResult(token, KEY)).toEqual({ state: "incomplete", scoreRaw: null });
  await completeModule(learner.id, "sample-basics", { organizationId: org.id });
  expect(await launchResult(token, KEY)).toEqual({ state: "passed", scoreRaw: 100 });
  const [launch] = await handle.db.select({ lms: scormLaunches.lmsLearnerId }).from(scormLaunches).where(eq(scormLaunches.userId, learner.id));
  expect(launch!.lms).toBe("moodle-42");

  // Someone else cannot take over the key, and a replay by the same learner changes nothing.
  const { learner: other } = await addLearner(org.id, lead);
  expect(await thrownStatus(() => openLaunch(other.id, { token, key: KEY, lmsLearnerId: null }))).toBe(403);
  await openLaunch(learner.id, { token, key: KEY, lmsLearnerId: "moodle-42" });
  expect(await handle.db.select().from(scormLaunches).where(eq(scormLaunches.packageId, packageId))).toHaveLength(1);

  // When the organisation anonymises them (retention), its LMS id for them goes; the completion stays.
  await handle.db.transaction((tx) => anonymisePersonIn(tx, { organisationId: org.id, personId, reason: "retention", actor: "system", now: new Date() }));
  const [after] = await handle.db.select({ lms: scormLaunches.lmsLearnerId }).from(scormLaunches).where(eq(scormLaunches.packageId, packageId));
  expect(after!.lms).toBeNull();
  expect(await launchResult(token, KEY)).toEqual({ state: "passed", scoreRaw: 100 });
});

test("a forged, moved, malformed or withdrawn token launches nothing, and a non-member is refused", async () => {
  const alpha = await createOrganisation();
  const bravo = await createOrganisation();
  const { learner } = await addLearner(alpha.org.id, alpha.lead);
  const packageId = (await createScormPackage(alpha.lead, alpha.org.id, await sampleVersion()))!;
  const token = launchToken(packageId, alpha.org.id);

  const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
  expect(await thrownStatus(() => launchResult(forged, KEY))).toBe(404);
  // The same package id signed for another organisation does not verify.
  expect(await thrownStatus(() => launchResult(launchToken(packageId, bravo.org.id), KEY))).toBe(404);
  expect(await thrownStatus(() => launchResult("nonsense", KEY))).toBe(400);
  expect(await thrownStatus(() => launchResult(token, "short"))).toBe(400);
  // Fresh keys, bound to no one: the refusal is for membership, not for a key someone else holds.
  const outsider = await createUser();
  expect(await thrownStatus(() => openLaunch(outsider.id, { token, key: "c3".repeat(24), lmsLearnerId: null }))).toBe(403);
  expect(await thrownStatus(() => openLaunch(bravo.lead.id, { token, key: "d4".repeat(24), lmsLearnerId: null }))).toBe(403);
  expect(await handle.db.select().from(scormLaunches).where(eq(scormLaunches.packageId, packageId))).toEqual([]);

  // Another organisation's lead cannot download or withdraw it.
  expect(await scormPackageZip(bravo.org.id, packageId)).toBeNull();
  expect(await revokeScormPackage(bravo.lead, bravo.org.id, packageId)).toBe(false);
  expect(await revokeScormPackage(alpha.lead, alpha.org.id, packageId)).toBe(true);
  expect(await thrownStatus(() => openLaunch(learner.id, { token, key: "e5".repeat(24), lmsLearnerId: null }))).toBe(404);
  expect(await scormPackageZip(alpha.org.id, packageId)).toBeNull();
});
