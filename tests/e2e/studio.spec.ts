import { expect } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminSession, expectAccessible, signIn } from "./helpers.ts";
import { pageAs, studioSeed as seed } from "./studio-helpers.ts";

test.describe.configure({ timeout: 120_000 });

const LESSON = "01-safeguarding-first.mdx";

test("an author edits a lesson without JavaScript, fixes an error at its line, previews and submits; they cannot approve it themselves", async ({ browser }) => {
  const [ava] = seed().authors;
  const author = await pageAs(browser, ava!, false);
  await author.goto("/studio");
  await expect(author.getByRole("heading", { name: "Studio", level: 1 })).toBeVisible();
  await expectAccessible(author, "studio");
  await author.getByRole("link", { name: "Risk and response", exact: false }).first().click();
  await author.getByRole("button", { name: "Edit this module" }).click();
  await expect(author.getByRole("heading", { name: "Draft" })).toBeVisible();
  await expectAccessible(author, "studio module with a draft");

  await author.getByRole("link", { name: `lesson ${LESSON}` }).click();
  // Read the lesson once its own page has loaded, not from the page being left.
  await expect(author).toHaveURL(new RegExp(`/files/${LESSON.replace(".", "\\.")}$`));
  const editor = author.getByLabel(LESSON, { exact: true });
  // Without JavaScript the editor is the plain textarea: no CodeMirror, no component buttons.
  expect(await editor.evaluate((el) => el.tagName)).toBe("TEXTAREA");
  await expect(editor).toBeVisible();
  await expect(author.locator(".cm-editor")).toHaveCount(0);
  await expect(author.getByRole("group", { name: "Insert a component:" })).toHaveCount(0);
  await expect(editor).not.toHaveValue("");
  const original = await editor.inputValue();
  const broken = `${original.trimEnd()}\n\n<Bogus>not a component</Bogus>\n`;
  const badLine = broken.split("\n").indexOf("<Bogus>not a component</Bogus>") + 1;
  await editor.fill(broken);
  await author.getByRole("button", { name: "Save" }).click();
  await expect(author.getByText("Saved. Learners see nothing")).toBeVisible();
  const problem = author.getByRole("link", { name: `${LESSON}:${badLine}:1` });
  await expect(problem).toBeVisible();
  await expect(author.locator("#problems")).toContainText("unknown component <Bogus>");
  await expectAccessible(author, "editor with a problem");
  await problem.click();
  await expect(author.locator("#line-focus")).toContainText(`Line ${badLine}, column 1`);
  await expect(author.locator("#line-focus")).toContainText("<Bogus>not a component</Bogus>");

  const fixed = `${original.trimEnd()}\n\nAgree a safety plan with the victim before you leave.\n`;
  await author.getByLabel(LESSON, { exact: true }).fill(fixed);
  await author.getByRole("button", { name: "Preview" }).click();
  const preview = author.getByRole("region", { name: "Preview (not saved)" });
  await expect(preview.locator("article.prose")).toContainText("Agree a safety plan with the victim before you leave.");
  await expectAccessible(author, "editor with a preview");
  await author.getByRole("button", { name: "Save" }).click();
  await expect(author.getByText("No problems: the checker accepts this draft.")).toBeVisible();

  await author.getByRole("link", { name: "Risk and response", exact: false }).first().click();
  await author.getByLabel("Change note").fill("Adds the safety plan step to safeguarding first.");
  await author.getByLabel("Material change").check();
  await author.getByRole("button", { name: "Submit for review" }).click();
  await expect(author.getByRole("heading", { name: /^Review:/ })).toBeVisible();
  await expect(author.getByText("You submitted this draft, so another author or an administrator must approve it.")).toBeVisible();
  await expect(author.getByRole("button", { name: /Approve/ })).toHaveCount(0);
  await expect(author.getByRole("group", { name: `${LESSON}, rendered text` })).toContainText("Agree a safety plan with the victim before you leave.");
  await expectAccessible(author, "review as the submitter");
});

// The draft the test above submitted, approved by another reviewer: its own test, so each half of the
// journey has the 120 s limit (the whole took 84 s of it on a machine loaded ten times over).
test("another reviewer, an admin, approves the submitted draft and it is published as version 2", async ({ browser }) => {
  // The run's admin session (signing in is tested elsewhere): one sign-in fewer.
  const admin = await (await browser.newContext({ storageState: await adminSession(browser) })).newPage();
  await admin.goto("/studio/risk-and-response/review");
  await expectAccessible(admin, "review as the admin");
  await admin.getByRole("button", { name: /Approve and publish version 2/ }).click();
  await expect(admin.getByText("Published version 2.")).toBeVisible();
  await expect(admin.getByRole("table")).toContainText("Adds the safety plan step to safeguarding first.");
  await expectAccessible(admin, "history");
});

test("after the material change: a learner mid-way stays on version 1; one who completed it sees what changed, with and without JavaScript", async ({ browser }) => {
  const midway = await pageAs(browser, seed().midway, false);
  await midway.goto("/modules/risk-and-response");
  await expect(midway.getByText("Module · version 1")).toBeVisible();
  await expect(midway.getByText("A newer version of this module exists")).toBeVisible();
  await expect(midway.getByText("This module was updated")).toHaveCount(0);

  const completed = await pageAs(browser, seed().completed, true);
  await completed.goto("/learning");
  await expect(completed.getByText("Risk and response: this module was updated")).toBeVisible();
  await expectAccessible(completed, "learning with an update");
  // From the learner's list to the module, whose own notice links to what changed.
  await completed.getByRole("link", { name: "Risk and response", exact: true }).first().click();
  await expect(completed.getByRole("heading", { name: "Risk and response", level: 1 })).toBeVisible();
  await completed.getByRole("link", { name: "See what changed", exact: true }).click();
  await expect(completed.getByRole("heading", { name: "What changed in Risk and response", level: 1 })).toBeVisible();
  await expect(completed.getByText("Adds the safety plan step to safeguarding first.")).toBeVisible();
  await expect(completed.locator(".diff ins")).toContainText("Agree a safety plan with the victim before you leave.");
  await expectAccessible(completed, "what changed");

  const noScript = await pageAs(browser, seed().completed, false);
  await noScript.goto("/modules/risk-and-response/what-changed");
  await noScript.getByRole("button", { name: "I have read what changed" }).click();
  await expect(noScript.getByText("This module was updated")).toHaveCount(0);
  await noScript.getByRole("link", { name: "My learning", exact: true }).click();
  await expect(noScript.getByRole("heading", { name: "My learning", level: 1 })).toBeVisible();
  await expect(noScript.getByText("Risk and response: this module was updated")).toHaveCount(0);
});

test("the training lead's report shows who completed the older version and whether they acknowledged; the lead assigns them the new version, without and with JavaScript", async ({ browser }) => {
  const orgSlug = seed().org.slug;
  const lead = await pageAs(browser, seed().lead, true);
  await lead.goto(`/org/${orgSlug}/reports`);
  const notice = lead.getByRole("region", { name: "Modules updated since some people completed them" });
  await expect(notice).toContainText("Risk and response: 1 person completed an older version than version 2.");
  await expectAccessible(lead, "report with an older-version notice");
  await notice.getByRole("link", { name: "Risk and response" }).click();
  const cal = lead.locator("#report-rows tbody tr", { hasText: "Cal Completed" });
  await expect(cal.locator('td[data-label="Version"]')).toHaveText("1");
  await expect(cal.locator('td[data-label="Current version completed"]')).toContainText("No: version 1 of 2");
  // Cal read what changed in the test before.
  await expect(cal.locator('td[data-label="Current version completed"]')).toContainText("Change acknowledged: Yes");
  await expect(lead.locator("#report-rows tbody tr", { hasText: "Mia Midway" }).locator('td[data-label="Current version completed"]')).toHaveText("");
  await expect(lead.getByRole("heading", { name: "Version 2 of Risk and response", level: 2 })).toBeVisible();
  await expect(lead.getByText("Cal Completed (version 1)")).toBeVisible();
  await expectAccessible(lead, "report with older-version completers");

  const noScript = await pageAs(browser, seed().lead, false);
  await noScript.goto(`/org/${orgSlug}/reports`);
  await noScript.getByRole("link", { name: "Risk and response" }).first().click();
  await noScript.getByRole("link", { name: "Assign version 2 to this person" }).click();
  await expect(noScript.getByRole("heading", { name: "Assign version 2 of “Risk and response” to 1 person?", level: 1 })).toBeVisible();
  await expectAccessible(noScript, "confirm assigning the new version");
  await noScript.getByLabel("Due date (optional)").fill("2031-03-31");
  await noScript.getByRole("button", { name: "Yes, assign version 2" }).click();
  await expect(noScript.getByRole("status")).toContainText("Version 2 assigned to 1 person");
  await expect(noScript.getByText("Version 2 or later.")).toBeVisible();
  await expect(noScript.getByRole("row", { name: /Cal Completed/ })).toContainText("Not started");
  await expectAccessible(noScript, "new version assigned");

  // The lead's report, open since before the new assignment, read again.
  await expect(lead).toHaveURL(/\/reports\?(.*&)?module=risk-and-response/);
  await lead.reload();
  await expect(lead.getByText("Everyone assigned this module who has completed it has completed version 2, or has been assigned it.")).toBeVisible();
  await expect(cal.locator('td[data-label="Current version completed"]')).toContainText("No: version 1 of 2");
});

test("with JavaScript, the lesson editor is CodeMirror: typed text, a snippet and a completion save through the same form; a problem's link puts its cursor on the line; a stale save is refused", async ({ browser }) => {
  const [ava, ben] = seed().authors;
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.stack ?? e.message));
  await signIn(page, ben!);
  await page.goto("/studio/recording-it-right");
  await page.getByRole("button", { name: "Edit this module" }).click();
  await page.getByRole("link", { name: "lesson 02-counting-rules.mdx" }).click();
  // CodeMirror stands in for the textarea, under the textarea's label; the textarea stays in the form, hidden.
  const code = page.getByRole("textbox", { name: "02-counting-rules.mdx" });
  await expect(code).toBeVisible();
  await expect(code).toHaveClass(/cm-content/);
  const field = page.locator("textarea#editor");
  await expect(field).toBeHidden();
  await expect(page.getByRole("group", { name: "Insert a component:" })).toBeVisible();
  // CodeMirror's <style> carries the page's nonce: a CSP refusal would be a console error here.
  expect(errors, "console errors once CodeMirror is in").toEqual([]);
  await expectAccessible(page, "CodeMirror editor");
  const original = await field.inputValue();

  // Typed text, a component from the buttons and one from the completion list, all written back into the textarea.
  await code.click();
  await expect(page.locator(".code-editor .cm-editor")).toHaveCSS("outline-style", "solid");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\nSee <Bogus>x</Bogus> here.\n\n");
  await page.getByRole("button", { name: "KeyPoint" }).click();
  await expect(code).toBeFocused();
  await page.keyboard.type("Look at the whole pattern.");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n\n<Sce");
  // Chosen with the pointer: Enter within CodeMirror's interaction delay of the list opening types a new line instead.
  await page.getByRole("option", { name: /<Scenario/ }).click();
  await page.keyboard.type("The fifth call.");
  // Escape leaves the snippet's fields; Tab then leaves the editor (no focus trap).
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Save" })).toBeFocused();
  const typed = `${original}\nSee <Bogus>x</Bogus> here.\n\n<KeyPoint>\nLook at the whole pattern.\n</KeyPoint>\n\n<Scenario>\nThe fifth call.\n</Scenario>`;
  await expect(field).toHaveValue(typed);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. Learners see nothing")).toBeVisible();
  await page.reload();
  await expect(field).toHaveValue(typed);
  const badLine = typed.split("\n").indexOf("See <Bogus>x</Bogus> here.") + 1;

  // The problem's link: the cursor at line:column in CodeMirror, the line marked, the quote above kept.
  await page.getByRole("link", { name: `02-counting-rules.mdx:${badLine}:5` }).click();
  await expect(page.locator("#line-focus")).toContainText(`Line ${badLine}, column 5`);
  await expect(code).toBeFocused();
  await expect(page.locator(".cm-problem-line")).toHaveText("See <Bogus>x</Bogus> here.");
  const cursor = await page.evaluate(() => {
    const selection = document.getSelection();
    const node = selection?.anchorNode;
    const line = (node instanceof Element ? node : node?.parentElement)?.closest(".cm-line");
    if (!selection || !node || !line || !selection.isCollapsed) return null;
    const before = document.createRange();
    before.setStart(line, 0);
    before.setEnd(node, selection.anchorOffset);
    return { line: line.textContent, column: before.toString().length + 1 };
  });
  expect(cursor).toEqual({ line: "See <Bogus>x</Bogus> here.", column: 5 });
  await expectAccessible(page, "CodeMirror editor at a problem's line");
  const editor = code;
  // Ava saves the same lesson from a page opened before Ben's next save: hers is refused, her text kept.
  const other = await pageAs(browser, ava!, false);
  await other.goto("/studio/recording-it-right/files/02-counting-rules.mdx");
  // CodeMirror draws only the lines in view, so a DOM-wide fill() would replace those alone: select the
  // whole document with CodeMirror's own Select All, then put the original text in its place.
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(original);
  await expect(field).toHaveValue(original);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. Learners see nothing")).toBeVisible();
  const avaEditor = other.getByLabel("02-counting-rules.mdx", { exact: true });
  await avaEditor.fill(`${original.trimEnd()}\n\nAva's paragraph.\n`);
  await other.getByRole("button", { name: "Save" }).click();
  await expect(other.locator(".error-summary")).toContainText(`${ben!.name} saved this draft`);
  await expect(avaEditor).toHaveValue(`${original.trimEnd()}\n\nAva's paragraph.\n`);
  await expectAccessible(other, "refused save");

  // The question bank is YAML: the same editor with line numbers, without Markdown's components.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Recording it right" }).click();
  await page.getByRole("link", { name: "the question bank (quiz.yaml)" }).click();
  await expect(page.getByRole("textbox", { name: "quiz.yaml" })).toHaveClass(/cm-content/);
  await expect(page.getByRole("group", { name: "Insert a component:" })).toHaveCount(0);
  await expectAccessible(page, "CodeMirror on the question bank");

  // Leave the module as other specs expect it.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Recording it right" }).click();
  await page.getByRole("button", { name: "Discard this draft" }).click();
  await expect(page.getByRole("button", { name: "Edit this module" })).toBeVisible();
  expect(errors, "console errors").toEqual([]);
});
