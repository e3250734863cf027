import type { CertificatePdfData } from "#app/models/learning/certificate-pdf.server.ts";

/** A real certificate code (its last character is its check), and as the certificate prints it. */
export const SAMPLE_CODE = "8MFM57MR02T";
export const SAMPLE_PRINTED_CODE = "8MFM-57MR-02T";

/** What a certificate PDF is drawn from, for the PDF tests and bench; `overrides` change any part. */
export function sampleCertificate(overrides: Partial<CertificatePdfData> = {}): CertificatePdfData {
  return {
    learnerName: "Alex Example",
    moduleTitle: "Recognising stalking and harassment",
    moduleVersion: 3,
    organisationName: "Thames Valley Police",
    issuedAt: new Date("2026-11-28T10:00:00Z"),
    expiresAt: new Date("2029-11-28T10:00:00Z"),
    cpdMinutes: 65,
    scorePercent: 92,
    code: SAMPLE_CODE,
    verifyUrl: `https://distinct.example.org/verify/${SAMPLE_PRINTED_CODE}`,
    ...overrides,
  };
}
