import { expect, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, opened, signUpVerifiedLearner } from "./helpers.ts";
import { readBank } from "./quiz-helpers.ts";

test.describe.configure({ timeout: 120_000 });

const SLUG = "recognising-stalking";
const VOCABULARY_ORDER = [
  "stalking-s2a",
  "stalking-s4a",
  "harassment-s2",
  "harassment-s4",
  "malicious-communications",
  "threatening-communications",
  "controlling-coercive",
  "not-a-crime",
];

const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);

/**
 * The assessment at 1280 px: classification options in the vocabulary's
 * order on every question, two columns, and the review folding right answers
 * away. Prints the page heights (the figures in the issue: about 8,300 px for
 * the attempt and 9,000 px for the review before).
 */
test("at 1280 px the assessment's offences keep one order in two columns, and the review folds right answers away", async ({ browser, page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUpVerifiedLearner(browser, page);
  await page.getByRole("link", { name: "Modules", exact: true }).first().click();
  await opened(page, "Modules");
  await page.locator(`.card .card__title a[href="/modules/${SLUG}"]`).click();
  await page.getByRole("button", { name: "Start module" }).click();
  await page.waitForURL(new RegExp(`/modules/${SLUG}/[^/]+$`));
  // Back to the module through the breadcrumb, and on to its assessment.
  await page.getByRole("navigation", { name: "Breadcrumb" }).locator(`a[href="/modules/${SLUG}"]`).click();
  await page.locator(`.task-list a[href="/modules/${SLUG}/quiz"]`).click();
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page.getByRole("heading", { name: "Assessment: attempt 1" })).toBeVisible();
  await page.waitForLoadState("load");

  const bank = new Map(readBank(SLUG).map((q) => [q.id, q]));
  const fieldsets = await page.locator("fieldset[id^='q-']").evaluateAll((sets) => sets.map((s) => s.id.slice(2)));
  const classify = fieldsets.filter((id) => bank.get(id)?.type === "classify");
  expect(classify.length).toBeGreaterThan(1);
  for (const id of classify) {
    const values = await page.locator(`input[name="q-${id}"]`).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(values, id).toEqual(VOCABULARY_ORDER.filter((v) => values.includes(v)));
    // Two columns: the second option sits beside the first, the third under it.
    const boxes = await page.locator(`fieldset#q-${id} .choice`).evaluateAll((choices) => choices.map((c) => c.getBoundingClientRect().toJSON() as DOMRect));
    expect(Math.round(boxes[1]!.top), id).toBe(Math.round(boxes[0]!.top));
    expect(boxes[1]!.left, id).toBeGreaterThan(boxes[0]!.right);
    expect(boxes[2]!.top, id).toBeGreaterThanOrEqual(boxes[0]!.bottom);
  }
  const attemptHeight = await pageHeight(page);
  await expectAccessible(page, "assessment attempt in two columns");

  // Half right, half wrong.
  for (const [index, id] of fieldsets.entries()) {
    const q = bank.get(id)!;
    const right = index % 2 === 0;
    if (q.type === "classify") {
      // A wrong answer among the options this question offers (some narrow the vocabulary).
      const choice = right ? page.locator(`input[name="q-${id}"][value="${q.answer}"]`) : page.locator(`input[name="q-${id}"]:not([value="${q.answer}"])`).first();
      await choice.check();
    } else {
      for (const o of q.type === "single" ? [q.options.find((x) => x.correct === right) ?? q.options[0]!] : q.options.filter((x) => x.correct === right)) {
        await page.locator(`input[name="q-${id}"][value="${o.id}"]`).check();
      }
    }
  }
  await page.getByRole("button", { name: "Submit answers" }).click();
  await expect(page.getByRole("heading", { name: "You did not pass this time" })).toBeVisible();
  const folded = page.locator("details.review-item__details");
  await expect(folded).toHaveCount(Math.ceil(fieldsets.length / 2));
  for (const details of await folded.all()) await expect(details).not.toHaveAttribute("open");
  await expect(page.getByText(/^Your next attempt: 10 questions: 10 you have not been asked before/)).toBeVisible();
  const reviewHeight = await pageHeight(page);
  await expectAccessible(page, "review with right answers folded");
  console.log(`Page heights at 1280 px: attempt ${attemptHeight} px, review ${reviewHeight} px (${fieldsets.length} questions).`);
});
