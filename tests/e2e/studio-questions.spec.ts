import { expect } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible } from "./helpers.ts";
import { pageAs, studioSeed } from "./studio-helpers.ts";

/** The studio's question editor (issue 17 item 5), on the-law's draft: JavaScript off, then on. */
const authors = () => studioSeed().authors;

test.describe.configure({ timeout: 120_000 });

const BANK = "/studio/the-law/questions";

test("without JavaScript, an author adds a classify question through the form: the decision aid's refusal is shown at the answer, fixed, saved", async ({ browser }) => {
  const author = await pageAs(browser, authors()[0]!, false);
  await author.goto("/studio/the-law");
  await author.getByRole("button", { name: "Edit this module" }).click();
  await author.getByRole("link", { name: /^Questions: add, edit, reorder and retire/ }).click();
  await expect(author.getByRole("heading", { name: "Question bank", level: 1 })).toBeVisible();
  await expectAccessible(author, "question bank");

  await author.getByRole("link", { name: "Add a question" }).click();
  await expect(author.getByRole("heading", { name: "Add a question", level: 1 })).toBeVisible();
  await expectAccessible(author, "add a question");
  // Without JavaScript the type cannot hide fields: classify's and choice's are both there.
  await expect(author.getByLabel("Prompt", { exact: true })).toBeVisible();
  await author.getByLabel("Question id", { exact: true }).fill("law-e2e-neighbour-swearing");
  await author.getByLabel("Tags (optional)", { exact: true }).fill("neighbour, offline");
  await author.getByLabel("Scenario", { exact: true }).fill("Gareth has sworn at his neighbour four times in a parking dispute. The neighbour finds it distressing but does not fear violence.");
  await author.getByLabel("Correct answer", { exact: true }).selectOption("harassment-s2");
  await author.getByRole("checkbox", { name: "Unwanted", exact: true }).check();
  await author.getByRole("checkbox", { name: "Repeated", exact: true }).check();
  await author.getByLabel("Occasions", { exact: true }).selectOption("two-or-more");
  await author.getByLabel("Relationship", { exact: true }).selectOption("neighbour");
  await author.getByRole("checkbox", { name: "Shouting abuse, insults or intimidation face to face" }).check();
  await author.getByLabel("A reasonable person would think the conduct alarming or distressing (PHA s.1, s.7)").selectOption("yes");
  // Fixation "yes" makes the aid reach stalking, not the answer given: the checker refuses.
  await author.getByLabel("Fixation on the victim", { exact: true }).selectOption("yes");
  await author.getByLabel("Explanation", { exact: true }).fill("Abuse on four occasions is a course of conduct (PHA s.7) that a reasonable person would think distressing: harassment, s.2.");
  await author.getByRole("button", { name: "Add the question" }).click();

  const refusal = 'the decision aid reaches "stalking-s2a" from this question\'s facts, not "harassment-s2": fix the facts or the answer';
  await expect(author.locator(".error-summary")).toContainText(refusal);
  await expect(author.locator("#answer-error")).toContainText(refusal);
  // The author's input is kept.
  await expect(author.getByLabel("Question id", { exact: true })).toHaveValue("law-e2e-neighbour-swearing");
  await expect(author.getByLabel("Occasions", { exact: true })).toHaveValue("two-or-more");
  await expectAccessible(author, "add a question refused");

  await author.getByLabel("Fixation on the victim", { exact: true }).selectOption("no");
  await author.getByRole("button", { name: "Add the question" }).click();
  await expect(author.getByText('Saved question "law-e2e-neighbour-swearing".')).toBeVisible();
  const row = author.getByRole("row", { name: /law-e2e-neighbour-swearing/ });
  await expect(row).toContainText("Classify");
  await expect(row).toContainText("neighbour, offline");
  await expect(author.locator("#bank-problems")).toHaveText("No problems: the checker accepts this draft.");

  await row.getByRole("link", { name: "Edit law-e2e-neighbour-swearing" }).click();
  await expect(author.getByRole("heading", { name: "Edit question law-e2e-neighbour-swearing", level: 1 })).toBeVisible();
  await expect(author.getByLabel("Fixation on the victim", { exact: true })).toHaveValue("no");
  await expectAccessible(author, "edit a question");
  await author.getByLabel("Tags (optional)", { exact: true }).fill("neighbour");
  await author.getByRole("button", { name: "Save the question" }).click();
  await expect(author.getByRole("row", { name: /law-e2e-neighbour-swearing/ })).not.toContainText("offline");
});

test("with JavaScript, an author adds a single-choice question, moves it up, retires it, downloads the bank and has a broken file refused at line:column", async ({ browser }) => {
  const author = await pageAs(browser, authors()[1]!, true);
  await author.goto(BANK);
  await author.getByRole("link", { name: "Add a question" }).click();
  await expect(author.getByLabel("Prompt", { exact: true })).toBeHidden();
  await author.getByLabel("Type", { exact: true }).selectOption("single");
  await expect(author.getByLabel("Scenario", { exact: true })).toBeHidden();
  await expectAccessible(author, "add a single-choice question");
  await author.getByLabel("Question id", { exact: true }).fill("law-e2e-commencement");
  await author.getByLabel("Prompt", { exact: true }).fill("When did the offence of stalking come into force in England and Wales?");
  await author.locator("#option-1-text").fill("25 November 2012");
  await author.locator("#option-2-text").fill("1 April 2018");
  await author.getByRole("checkbox", { name: "Option 1 is correct" }).check();
  await author.getByLabel("Explanation", { exact: true }).fill("PHA s.2A, inserted by the Protection of Freedoms Act 2012, came into force on 25 November 2012.");
  await author.getByRole("button", { name: "Add the question" }).click();
  await expect(author.getByText('Saved question "law-e2e-commencement".')).toBeVisible();

  const ids = () => author.locator("#questions tbody tr td:nth-child(2) strong").allTextContents();
  const before = await ids();
  expect(before.slice(-2)).toEqual(["law-e2e-neighbour-swearing", "law-e2e-commencement"]);
  await author.getByRole("button", { name: "Move law-e2e-commencement up" }).click();
  await expect(author.getByText('Question "law-e2e-commencement" moved up.')).toBeVisible();
  expect((await ids()).slice(-2)).toEqual(["law-e2e-commencement", "law-e2e-neighbour-swearing"]);

  await author.getByRole("button", { name: "Retire law-e2e-commencement" }).click();
  await expect(author.getByText('Question "law-e2e-commencement" retired.')).toBeVisible();
  await expect(author.getByRole("row", { name: /law-e2e-commencement/ })).toContainText("Retired");
  await expect(author.getByRole("button", { name: "Restore law-e2e-commencement" })).toBeVisible();
  await expectAccessible(author, "question bank with a retired question");

  const href = await author.getByRole("link", { name: "Download the draft’s quiz.yaml" }).getAttribute("href");
  const download = await author.request.get(href ?? "");
  expect(download.status()).toBe(200);
  const yaml = await download.text();
  expect(yaml).toContain("  - id: law-e2e-commencement\n    retired: true\n    type: single\n");

  await author.getByLabel("Import a quiz.yaml, replacing the whole bank").setInputFiles({ name: "quiz.yaml", mimeType: "text/yaml", buffer: Buffer.from(yaml.replace("passMark:", "passMark: [\n")) });
  await author.getByRole("button", { name: "Import", exact: true }).click();
  await expect(author.locator("#file-error")).toContainText("nothing was imported");
  await expect(author.locator("#import-problems")).toContainText(/quiz\.yaml:\d+:\d+ YAML:/);
  await expectAccessible(author, "import refused");

  // Leave the module as other specs expect it, from the bank's breadcrumb back to the module.
  await author.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "The law" }).click();
  await author.getByRole("button", { name: "Discard this draft" }).click();
  await expect(author.getByRole("button", { name: "Edit this module" })).toBeVisible();
});
