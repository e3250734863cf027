import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
// test from ./nu.ts records every page for the W3C Nu HTML check at the end of the run.
import { test } from "./nu.ts";
import { adminCredentials, expectAccessible, opened, signIn, signUpVerifiedLearner } from "./helpers.ts";
import { passQuiz } from "./quiz-helpers.ts";

// The whole module and its assessment: 55 s on a 2-core machine under a load of 20; the limit catches a hang.
test.describe.configure({ timeout: 120_000 });

/** Every lesson of the module, then its assessment, through the pages. */
async function completeModuleInBrowser(page: Page, slug: string) {
  await page.getByRole("link", { name: "Modules", exact: true }).first().click();
  await opened(page, "Modules");
  await page.locator(`.card .card__title a[href="/modules/${slug}"]`).click();
  await page.getByRole("button", { name: "Start module" }).click();
  await page.waitForURL(new RegExp(`/modules/${slug}/[^/]+$`));
  while (!new URL(page.url()).pathname.endsWith("/quiz")) {
    const before = page.url();
    await page.getByRole("button", { name: /Mark complete/ }).click();
    await page.waitForURL((url) => url.href !== before);
  }
  await passQuiz(page, slug);
}

/** The URL in the PDF's QR code, read the way a phone would: render the page and decode the image. */
function qrUrlFromPdf(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "distinct-e2e-pdf-"));
  fs.writeFileSync(path.join(dir, "certificate.pdf"), pdf);
  execFileSync("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", path.join(dir, "certificate.pdf"), path.join(dir, "page")]);
  const image = fs.readdirSync(dir).find((f) => f.endsWith(".png"));
  const decoded = execFileSync("zbarimg", ["--raw", "-q", path.join(dir, image!)], { encoding: "utf8" }).trim();
  fs.rmSync(dir, { recursive: true, force: true });
  return decoded;
}

test("a learner completes a module, downloads the PDF, its QR opens the public check; revoked by an admin, it says so", async ({ browser, page }) => {
  const learner = await signUpVerifiedLearner(browser, page, "Siobhán Ní Bhriain");
  await completeModuleInBrowser(page, "recognising-stalking");
  await page.getByRole("link", { name: "See your certificate" }).click();
  await expect(page.getByRole("heading", { name: "My certificates" })).toBeVisible();
  await expectAccessible(page, "my certificates");
  await page.getByRole("main").getByRole("heading", { name: "Recognising stalking" }).getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Certificate of completion" })).toBeVisible();
  await expect(page.locator(".certificate__name")).toHaveText("Siobhán Ní Bhriain");
  await expectAccessible(page, "certificate page");
  const code = (await page.locator(".certificate-code").first().textContent())!.trim();

  const pdf = await page.request.get(`/certificates/${code}.pdf`);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const body = await pdf.body();
  expect(body.subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("pdftotext", ["-", "-"], { input: body, encoding: "utf8" }).normalize("NFC");
  expect(text).toContain("Siobhán Ní Bhriain");
  expect(text).toContain(code);
  const url = qrUrlFromPdf(body);
  expect(url).toMatch(new RegExp(`/verify/${code}$`));

  // Anyone, not signed in.
  const stranger = await browser.newContext();
  const public1 = await stranger.newPage();
  await public1.goto(url.replace(/^https?:\/\/[^/]+/, ""));
  await expect(public1.getByRole("heading", { name: "This certificate is valid" })).toBeVisible();
  await expect(public1.getByText("Siobhán Ní Bhriain")).toBeVisible();
  await expect(public1.getByText(learner.email)).toHaveCount(0);
  await expectAccessible(public1, "verify (valid)");

  // A platform admin revokes it.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, await adminCredentials(browser));
  // From the header to the certificates list, and a search through its form.
  await adminPage.getByRole("link", { name: "Admin", exact: true }).click();
  await adminPage.getByRole("link", { name: "Certificates", exact: true }).and(adminPage.locator('[href="/admin/certificates"]')).first().click();
  await adminPage.getByLabel("Search by code, name, email or module").fill(code);
  await adminPage.getByRole("button", { name: "Search" }).click();
  await expect(adminPage).toHaveURL(new RegExp(`/admin/certificates\\?q=${code}$`));
  await expectAccessible(adminPage, "admin certificates");
  await adminPage.getByRole("link", { name: code }).click();
  await adminPage.getByRole("button", { name: "Revoke certificate" }).click();
  await expect(adminPage.getByText("Enter the reason for revoking this certificate")).toHaveCount(2);
  await adminPage.getByLabel("Reason").fill("Issued in error during testing");
  await adminPage.getByRole("button", { name: "Revoke certificate" }).click();
  // Revoking asks first (issue 15, item 5), then says what changed.
  await expect(adminPage.getByText("Are you sure? This will:")).toBeVisible();
  await expectAccessible(adminPage, "confirm revoking a certificate");
  await adminPage.getByRole("button", { name: "Yes, revoke the certificate" }).click();
  await expect(adminPage.getByRole("status", { name: "Certificate revoked" })).toBeVisible();
  await expect(adminPage.getByRole("heading", { name: "Reinstate this certificate" })).toBeVisible();
  await expectAccessible(adminPage, "admin certificate (revoked)");

  await public1.reload();
  await expect(public1.getByRole("heading", { name: "This certificate has been revoked" })).toBeVisible();
  await expect(public1.getByText("Issued in error")).toHaveCount(0);
  await expectAccessible(public1, "verify (revoked)");
  await stranger.close();
  await adminContext.close();
});

test("the public check tells a typing error from an unknown code, with 404 pages that help", async ({ page }) => {
  await page.goto("/verify");
  await expectAccessible(page, "verify form");
  await page.getByLabel("Certificate code").fill("7KQ4-MX2P-9RX");
  await page.getByRole("button", { name: "Check certificate" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/This code has a typing error|No certificate has this code/);
  await expectAccessible(page, "verify (not found)");
  const typo = await page.request.get("/verify/0000-0000-001");
  const unknownOrTypo = await page.request.get("/verify/ZZZZ-ZZZZ-ZZZ");
  expect(typo.status()).toBe(404);
  expect(unknownOrTypo.status()).toBe(404);
  const malformed = await page.request.get("/verify/not-a-code");
  expect(malformed.status()).toBe(404);
  expect(await malformed.text()).toContain("This is not a certificate code");
});
