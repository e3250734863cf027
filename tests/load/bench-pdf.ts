/**
 * How long a certificate PDF takes: `npx tsx tests/load/bench-pdf.ts`.
 * The first render in a process reads and parses the fonts; the next 50 show the steady state.
 * Then the same for a name that needs the Chinese fallback font (10.5 MB, loaded on first use).
 */
import { performance } from "node:perf_hooks";
import { generateCertificateCode } from "#app/utils/certificate-code.ts";
import { sampleCertificate } from "#tests/certificate-sample.ts";

const importStart = performance.now();
const { renderCertificatePdf } = await import("#app/models/learning/certificate-pdf.server.ts");
const importMs = performance.now() - importStart;

function data(learnerName: string) {
  const code = generateCertificateCode();
  return sampleCertificate({ learnerName, code, verifyUrl: `https://distinct.example.org/verify/${code}` });
}

async function time(learnerName: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const pdf = await renderCertificatePdf(data(learnerName));
  return { ms: performance.now() - start, bytes: pdf.length };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function bench(label: string, learnerName: string, runs = 50): Promise<void> {
  const first = await time(learnerName);
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const result = await time(learnerName);
    samples.push(result.ms);
    bytes = result.bytes;
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(
    `${label}: first ${ms(first.ms)}; next ${runs}: mean ${ms(mean)}, p50 ${ms(percentile(samples, 50))}, ` +
      `p95 ${ms(percentile(samples, 95))}; size ${(bytes / 1024).toFixed(1)} KB`,
  );
}

console.log(`Node ${process.version}; importing the renderer (pdf-lib, fontkit, qrcode): ${ms(importMs)}`);
await bench('Latin name "Siobhán Ní Bhriain"', "Siobhán Ní Bhriain");
await bench('Mixed name "Chen 陈伟" (Chinese fallback font)', "Chen 陈伟");
