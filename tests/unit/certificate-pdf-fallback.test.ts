import { expect, test, vi } from "vitest";
import { renderCertificatePdf } from "#app/models/learning/certificate-pdf.server.ts";
import { sampleCertificate } from "#tests/certificate-sample.ts";

// Apart from tests/integration/certificate-pdf.test.ts (which reads the PDFs with poppler and zbar): this test sets
// LOG_LEVEL, so it runs with modules of its own (tests/vitest.config.ts), and it needs no more than the renderer.
test("a character no font has is drawn as a box and logged by code point, without the name", async () => {
  vi.stubEnv("LOG_LEVEL", "warn");
  const warn = vi.spyOn(console, "error").mockImplementation(() => undefined);
  await renderCertificatePdf(sampleCertificate({ learnerName: "Sam 김" }));

  vi.unstubAllEnvs();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]?.[0])).toMatch(/no certificate font has these characters.*codePoints=U\+AE40$/);
  expect(String(warn.mock.calls[0]?.[0])).not.toContain("Sam");
  warn.mockRestore();
});
