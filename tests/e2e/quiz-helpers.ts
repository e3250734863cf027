import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { parse } from "yaml";
import { QuizSchema, type Question } from "#app/content/schema.ts";
import { findLeaks } from "#tests/leaks.ts";
import { ROOT } from "./helpers.ts";

/** The module's bank as the server has it (read from content/, like the grader). */
export function readBank(slug: string): Question[] {
  const text = fs.readFileSync(path.join(ROOT, "content", "modules", slug, "quiz.yaml"), "utf8");
  return QuizSchema.parse(parse(text)).questions;
}

/** The questions of the attempt on screen, from their field names. */
async function questionsOnPage(page: Page, bank: Question[]): Promise<Question[]> {
  const names = await page.locator("fieldset[id^='q-']").evaluateAll((sets) => sets.map((s) => s.id));
  const byId = new Map(bank.map((q) => [q.id, q]));
  return names.map((name) => {
    const q = byId.get(name.slice(2));
    if (!q) throw new Error(`Question ${name} is not in the bank`);
    return q;
  });
}

/** Answers every question on the page, right or wrong, by checking inputs (works with JavaScript off). */
async function answerAll(page: Page, questions: Question[], right: boolean) {
  for (const q of questions) {
    const pick = async (value: string) => page.locator(`input[name="q-${q.id}"][value="${value}"]`).check();
    if (q.type === "classify") {
      const offered = await page.locator(`input[name="q-${q.id}"]`).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
      await pick(right ? q.answer : (offered.find((o) => o !== q.answer) ?? ""));
      if (right) for (const element of q.four?.present ?? []) await page.locator(`input[name="four-${q.id}"][value="${element}"]`).check();
    } else if (q.type === "single") {
      await pick((q.options.find((o) => o.correct === right) ?? q.options[0]!).id);
    } else {
      for (const o of q.options.filter((x) => (right ? x.correct : !x.correct))) await pick(o.id);
      if (!right && q.options.every((o) => o.correct)) await pick(q.options[0]!.id);
    }
  }
}

/**
 * Checks invariant 1 in the browser's terms: the open attempt's HTML, its
 * loader data (single-fetch .data) and every script the page loads carry no
 * explanation, option feedback or answer flag.
 */
export async function expectNoAnswerLeaks(page: Page, questions: Question[]) {
  const url = new URL(page.url());
  const html = await (await page.request.get(url.pathname)).text();
  const data = await (await page.request.get(`${url.pathname}.data`)).text();
  const scripts = [...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(0);
  const js = await Promise.all(scripts.map(async (s) => (await page.request.get(s)).text()));
  expect(findLeaks(html, questions, "strings"), "leaks in the HTML").toEqual([]);
  expect(findLeaks(data, questions, "strings"), "leaks in the loader data").toEqual([]);
  expect(findLeaks(js.join("\n"), questions, "none"), "leaks in the JavaScript").toEqual([]);
}

/** Takes the assessment: fails once on purpose (if asked), then passes, checking the review each time. */
export async function passQuiz(page: Page, slug: string, options: { failFirst?: boolean; checkLeaks?: boolean; onPage?: (label: string) => Promise<void> } = {}) {
  const bank = readBank(slug);
  await expect(page).toHaveURL(new RegExp(`/modules/${slug}/quiz`));
  const attempt = async (right: boolean) => {
    await page.getByRole("button", { name: /Start (the assessment|a new attempt)/ }).click();
    await expect(page.getByRole("heading", { name: /Assessment: attempt \d+/ })).toBeVisible();
    // The page streams: the heading can be visible before the last question has arrived.
    await page.waitForLoadState("load");
    const questions = await questionsOnPage(page, bank);
    expect(questions.length).toBeGreaterThan(0);
    if (options.checkLeaks) await expectNoAnswerLeaks(page, questions);
    await options.onPage?.("assessment attempt");
    await answerAll(page, questions, right);
    await page.getByRole("button", { name: "Submit answers" }).click();
    await expect(page.getByRole("heading", { name: right ? "You passed" : "You did not pass this time" })).toBeVisible();
    if (right) {
      // Right answers are folded away; opened, each says why.
      await page.getByText("Show the question, your answer and why").first().click();
      await expect(page.getByText(/^Why:/).first()).toBeVisible();
    } else {
      // Every answer wrong: no key is shown, since each question may be asked again (ADR 022).
      await expect(page.getByText(/^Why:/)).toHaveCount(0);
      await expect(page.getByText(/Your next attempt:/)).toBeVisible();
    }
    if (options.checkLeaks) {
      const review = new URL(page.url()).pathname;
      if (right) {
        // The detector works on these formats: the review, which rightly shows the answers, is caught by it.
        expect(findLeaks(await (await page.request.get(`${review}.data`)).text(), questions, "strings")).not.toEqual([]);
        expect(findLeaks(await (await page.request.get(review)).text(), questions, "strings")).not.toEqual([]);
      } else {
        // A failed review keeps the keys of questions that can come back: no explanation or feedback text.
        expect(findLeaks(await (await page.request.get(`${review}.data`)).text(), questions, "none")).toEqual([]);
        expect(findLeaks(await (await page.request.get(review)).text(), questions, "none")).toEqual([]);
      }
    }
    await options.onPage?.(right ? "result (passed)" : "result (failed)");
  };
  await options.onPage?.("assessment overview");
  if (options.failFirst) {
    await attempt(false);
    await page.getByRole("link", { name: "Back to the assessment" }).click();
    await expect(page.getByRole("table", { name: "Your attempts at this assessment" })).toBeVisible();
  }
  await attempt(true);
}
