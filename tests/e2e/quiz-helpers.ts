import { expect, type Page } from "@playwright/test";

/** Takes the module's assessment until it is passed (filled in by the assessment work). */
export async function passQuiz(page: Page, slug: string) {
  await expect(page).toHaveURL(new RegExp(`/modules/${slug}/quiz`));
  throw new Error("The assessment is not built yet");
}
