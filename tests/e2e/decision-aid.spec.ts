import { expect, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { expectAccessible, markNoJavaScript } from "./helpers.ts";

/**
 * /tools/is-it-stalking: public, one question per page, GET forms only. The
 * walks assert every question heading in turn, so they also check that the
 * page skips the questions the rules say do not apply.
 */

const AID = "/tools/is-it-stalking";

type Answer = { question: RegExp; choose: (string | RegExp)[] };

/** From the start page to "Check your answers", answering each question as it comes. */
async function answerAll(page: Page, answers: Answer[], options: { axeOnFirstQuestion?: boolean } = {}) {
  await page.getByRole("link", { name: "Start now" }).click();
  for (const [index, { question, choose }] of answers.entries()) {
    await expect(page.getByRole("heading", { level: 1, name: question })).toBeVisible();
    await expect(page.getByText(new RegExp(`^Question ${index + 1} of `))).toBeVisible();
    if (index === 0 && options.axeOnFirstQuestion) await expectAccessible(page, "first question");
    for (const label of choose) await page.getByLabel(label, { exact: true }).check();
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page.getByRole("heading", { level: 1, name: "Check your answers" })).toBeVisible();
}

async function newNoJavaScriptPage(browser: import("@playwright/test").Browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  markNoJavaScript(page);
  return { context, page };
}

test("without JavaScript: an ex-partner who follows and contacts, with fear of violence twice, is stalking s.4A", async ({ browser }) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(AID);
  await expect(page.getByRole("heading", { level: 1, name: "Is it stalking?" })).toBeVisible();
  await expect(page.getByText(/Think stalking first/)).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "0808 802 0300" })).toHaveAttribute("href", "tel:08088020300");
  await expect(page.getByRole("main").getByText(/call 999/)).toBeVisible();
  await expectAccessible(page, "start page");

  await answerAll(
    page,
    [
      { question: /How many times/, choose: ["Two or more times"] },
      { question: /Who is the person to the victim/, choose: ["An ex-partner"] },
      { question: /What has the person done/, choose: [/^Following them/, /^Contacting or trying to contact/] },
      { question: /fixated on, or obsessed with/, choose: ["Yes"] },
      { question: /feared, on at least two occasions/, choose: ["Yes"] },
      { question: /serious alarm or distress/, choose: ["No, or not known"] },
      // Personally connected and a serious effect: the controlling or coercive question applies.
      { question: /controlling or coercive/, choose: ["No, or not known"] },
    ],
    { axeOnFirstQuestion: true },
  );
  await expect(page).toHaveTitle("Check your answers – Is it stalking? – Distinct");
  await expect(page.getByRole("definition").filter({ hasText: "An ex-partner" })).toBeVisible();
  await expectAccessible(page, "check your answers");

  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Stalking involving fear of violence.*s\.4A/ })).toBeVisible();
  await expect(page).toHaveTitle(/^Likely offence: Stalking with fear of violence/);
  // The answer, then three plain sentences; the legal detail waits behind a disclosure.
  await expect(page.locator(".aid-plain p")).toHaveText([
    "This looks like the more serious stalking offence: the victim feared violence at least twice, or was so alarmed or distressed that it changed their daily life.",
    "Record it as stalking, one crime for the whole pattern, not as separate incidents.",
    "Put the victim's safety first: complete the S-DASH risk checklist and consider a Stalking Protection Order.",
  ]);
  await expect(page.getByRole("heading", { level: 2, name: "Your answers" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Why" })).toBeHidden();
  await expect(page.getByText(/HOCR \(April 2020\)/).first()).toBeHidden();
  const plainBottom = await page.locator(".aid-plain").evaluate((e) => e.getBoundingClientRect().bottom);
  const detailTop = await page.locator("details.aid-detail").evaluate((e) => e.getBoundingClientRect().top);
  expect(plainBottom).toBeLessThanOrEqual(detailTop);
  await page.getByText("The legal detail: why, what to record and safeguarding").click();
  for (const name of ["Why", "What to record", "Safeguarding", "Limits of this aid"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  // Nothing else to consider on this path, so no empty section.
  await expect(page.getByRole("heading", { level: 2, name: "Also consider" })).toHaveCount(0);
  // Recording: the rule in force, kept apart from the offence the facts disclose.
  await expect(page.getByText(/since the 2023 changes/).first()).toBeVisible();
  // The plain summary names them too; these are the "What to do next" items.
  await expect(page.getByText(/^Complete the S-DASH risk checklist/)).toBeVisible();
  await expect(page.getByText(/^Consider a Stalking Protection Order/)).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "0808 802 0300" })).toHaveAttribute("href", "tel:08088020300");
  await expectAccessible(page, "result");

  // Printed: no site header, back link or buttons; the result and the answers stay.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("link", { name: "Back" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Start again" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  await page.getByRole("link", { name: "Start again" }).click();
  await expect(page).toHaveURL(new RegExp(`${AID}$`));
  await context.close();
});

test("without JavaScript: a single grossly offensive message is malicious communications; Back and Change keep the answers", async ({
  browser,
}) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(AID);
  await page.getByRole("link", { name: "Start now" }).click();
  await page.getByLabel("Once", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Who is the person to the victim?" })).toBeVisible();
  await expect(page).toHaveTitle("Question 2: Who is the person to the victim? – Is it stalking? – Distinct");
  await expect(page.getByText("Question 2 of 3", { exact: true })).toBeVisible();

  // Back goes to the previous question with its answer still chosen.
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page.getByLabel("Once", { exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Continue" }).click();

  await page.getByLabel("A stranger", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  // One occasion: the course-of-conduct questions are skipped.
  await expect(page.getByRole("heading", { level: 1, name: /Was the message/ })).toBeVisible();
  await page.getByLabel(/^Indecent or grossly offensive/).check();
  await page.getByRole("button", { name: "Continue" }).click();

  // Change an answer from "Check your answers": back to the question, then back to the check page.
  await expect(page.getByRole("heading", { level: 1, name: "Check your answers" })).toBeVisible();
  await page.getByRole("link", { name: "Change who the person is to the victim" }).click();
  await expect(page.getByLabel("A stranger", { exact: true })).toBeChecked();
  await page.getByLabel("A neighbour", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your answers" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "A neighbour" })).toBeVisible();

  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Malicious Communications Act 1988 s\.1/ })).toBeVisible();
  await page.getByText("The legal detail: why, what to record and safeguarding").click();
  await expect(page.getByRole("heading", { level: 2, name: "Also consider" })).toBeVisible();
  await expect(page.getByText(/Communications Act 2003 s\.127\(1\)/)).toBeVisible();
  await context.close();
});

test("without JavaScript: a single polite unwanted message is not a crime", async ({ browser }) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(AID);
  await answerAll(page, [
    { question: /How many times/, choose: ["Once"] },
    { question: /Who is the person to the victim/, choose: ["A colleague or ex-colleague"] },
    { question: /Was the message/, choose: ["None of these, or it was not a message"] },
  ]);
  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Likely outcome\s+No criminal offence is disclosed/ })).toBeVisible();
  await expect(page.locator(".aid-plain p").first()).toHaveText("From these answers, no criminal offence is disclosed.");
  await page.getByText("The legal detail: why, what to record and safeguarding").click();
  await expect(page.getByText(/at least two occasions \(PHA s\.7\)/)).toBeVisible();
  await expect(page.getByText(/If this turns out to be one of several incidents.*answer again with two or more occasions/)).toBeVisible();
  await context.close();
});

test("with JavaScript: a neighbour's alarming course of conduct is harassment s.2; 'None of these' clears the other boxes; focus follows the question", async ({
  page,
}) => {
  await page.goto(AID);
  await page.getByRole("link", { name: "Start now" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /How many times/ })).toBeFocused();
  await page.getByLabel("Two or more times").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Who is the person/ })).toBeFocused();
  // A missing answer: the error summary takes focus, as GOV.UK's does.
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page).toHaveTitle(/^Error: Question 2: Who is the person/);
  await page.getByRole("alert").getByRole("link", { name: "Select who the person is to the victim" }).click();
  await expect(page.getByLabel("An ex-partner")).toBeFocused();
  await page.getByLabel("A neighbour").check();
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { level: 1, name: /What has the person done/ })).toBeVisible();
  const following = page.getByLabel(/^Following them/);
  const none = page.getByLabel("None of these", { exact: true });
  await following.check();
  await none.check();
  await expect(following).not.toBeChecked();
  await following.check();
  await expect(none).not.toBeChecked();
  await none.check();
  await page.getByRole("button", { name: "Continue" }).click();

  // Fixation has three answers: "Not known" is its own.
  await expect(page.getByRole("heading", { level: 1, name: /fixated/ })).toBeFocused();
  await expect(page.getByLabel("Not known", { exact: true })).toBeVisible();
  await page.getByLabel("No", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  for (const question of [/feared, on at least two occasions/, /serious alarm or distress/]) {
    await expect(page.getByRole("heading", { level: 1, name: question })).toBeFocused();
    // Keyed per question: the previous yes/no answer must not carry over.
    await expect(page.getByLabel("No, or not known")).not.toBeChecked();
    await page.getByLabel("No, or not known").check();
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await expect(page.getByRole("heading", { level: 1, name: /reasonable person/ })).toBeVisible();
  await page.getByLabel("Yes", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  // PHA s.1(3): asked before the aid calls it a crime.
  await expect(page.getByRole("heading", { level: 1, name: /lawful or reasonable/ })).toBeFocused();
  await page.getByLabel("No", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Check your answers" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "None of these" })).toBeVisible();
  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Harassment, Protection from Harassment Act 1997 s\.2/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print this page" })).toBeVisible();
  await expectAccessible(page, "result with JavaScript");
});

test("without JavaScript: a neighbour in a hedge dispute who knocks and leaves notes is harassment, not stalking; fixation not known says what to ask", async ({
  browser,
}) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(AID);
  await answerAll(page, [
    { question: /How many times/, choose: ["Two or more times"] },
    { question: /Who is the person to the victim/, choose: ["A neighbour"] },
    { question: /What has the person done/, choose: [/^Turning up uninvited/, /^Contacting or trying to contact/] },
    { question: /fixated on, or obsessed with/, choose: ["Not known"] },
    { question: /feared, on at least two occasions/, choose: ["No, or not known"] },
    { question: /serious alarm or distress/, choose: ["No, or not known"] },
    { question: /reasonable person/, choose: ["Yes"] },
    { question: /lawful or reasonable/, choose: ["No"] },
  ]);
  await expect(page.getByRole("definition").filter({ hasText: /^Not known$/ })).toBeVisible();
  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Harassment, Protection from Harassment Act 1997 s\.2/ })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Fixation is not known: ask the victim.");
  await expect(page.getByRole("main")).toContainText("Reconsider stalking");
  await expectAccessible(page, "harassment result with fixation not known");
  await context.close();
});

test("without JavaScript: one abusive visit to each of two people is not a course of conduct", async ({ browser }) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(AID);
  await answerAll(page, [
    { question: /How many times/, choose: ["Once each to two or more people"] },
    { question: /Who is the person to the victim/, choose: ["Someone they know a little (an acquaintance)"] },
    { question: /Was the message/, choose: ["None of these, or it was not a message"] },
  ]);
  await page.getByRole("link", { name: "See the result" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /No criminal offence is disclosed/ })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("serves only s.1(1A)");
  await context.close();
});

test("continuing without choosing an answer shows the error summary, with status 400", async ({ browser }) => {
  const { context, page } = await newNoJavaScriptPage(browser);
  await page.goto(`${AID}?step=occasions`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("answered=occasions")),
    page.getByRole("button", { name: "Continue" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page).toHaveTitle(/^Error: Question 1: How many times/);
  const summary = page.getByRole("alert");
  await expect(summary.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(summary.getByRole("link", { name: "Select how many times it has happened" })).toHaveAttribute("href", "#occasions-0");
  await expect(page.locator(".error-message")).toHaveText("Error: Select how many times it has happened");
  await expectAccessible(page, "question with an error");

  // Answering now carries on as normal.
  await page.getByLabel("Once", { exact: true }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Who is the person to the victim?" })).toBeVisible();
  await context.close();
});

test("a tampered or broken address is a 400 with a reason, never a 500", async ({ page }) => {
  const tampered = await page.goto(`${AID}?occasions=sometimes`);
  expect(tampered?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1, name: "There is a problem with the answers in the address" })).toBeVisible();
  await expect(page.getByText(/“sometimes” is not one of the answers/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Start again" })).toBeVisible();
  await expectAccessible(page, "400 page");

  for (const query of ["step=nowhere", "relationship=stranger&relationship=neighbour", "surname=Smith", "behaviours=none&behaviours=following&step=fixation"]) {
    const response = await page.goto(`${AID}?${query}`);
    expect(response?.status(), query).toBe(400);
  }
  // Valid answers but a page too far ahead: sent to the first question still to answer.
  const ahead = await page.goto(`${AID}?occasions=one&step=result`);
  expect(ahead?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Who is the person to the victim?" })).toBeVisible();
});

test("at 320px wide the start, question, check and result pages do not scroll sideways", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  const course = `occasions=two-or-more&relationship=customer-or-client&behaviours=monitoring&behaviours=interfering-with-property&behaviours=malicious-reports&fixation=yes&fearOfViolenceTwice=no&seriousAlarmOrDistress=yes`;
  for (const path of [AID, `${AID}?${course}&step=behaviours`, `${AID}?${course}&step=check`, `${AID}?${course}&step=result`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(320);
  }
  await context.close();
});
