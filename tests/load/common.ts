import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type BenchLine = { name: string; value: string };

export const fmt = (n: number) => n.toLocaleString("en-GB", { maximumFractionDigits: 1 });

export async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy in ${timeoutMs} ms`);
}

export function printSection(title: string, lines: BenchLine[]) {
  console.log(`\n${title}`);
  const width = Math.max(...lines.map((l) => l.name.length));
  for (const l of lines) console.log(`  ${l.name.padEnd(width)}  ${l.value}`);
}
