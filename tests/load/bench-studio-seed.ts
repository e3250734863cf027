/**
 * The studio bench's own seeding, after seed-http-bench.ts and before the
 * server opens the database: an author and an admin to publish through the
 * studio's forms, and the preview of the longest lesson in content/ timed in
 * process (the studio's preview runs this same function for an author's
 * request). Prints JSON on the last line of stdout.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { previewFile } from "#app/models/authoring/source-files.server.ts";
import { getAuth } from "#app/services/auth.server.ts";
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { projectRoot } from "#db/client.ts";
import { user } from "#db/schema/index.ts";
import { eq } from "drizzle-orm";
import { BENCH_PASSWORD } from "./seed-http-bench-shared.ts";

const RUNS = 15;
const { handle, lock } = await openConfiguredDatabase("npm run bench studio (seeding)");
try {
  const context = await getAuth().$context;
  const hash = await context.password.hash(BENCH_PASSWORD);
  for (const [email, role] of [
    ["bench-author@trust.example.org", "author"],
    ["bench-admin@trust.example.org", "admin"],
  ] as const) {
    const created = await context.internalAdapter.createUser({ email, name: `Bench ${role}`, emailVerified: true }, { method: "admin" });
    await context.internalAdapter.linkAccount({ userId: created.id, providerId: "credential", accountId: created.id, password: hash });
    await handle.db.update(user).set({ role }).where(eq(user.id, created.id));
  }

  // The longest lesson of the shipped curriculum, by characters.
  const root = path.join(projectRoot(), "content", "modules");
  let longest = { slug: "", file: "", chars: 0 };
  for (const slug of fs.readdirSync(root)) {
    const dir = path.join(root, slug);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir)) {
      if (!file.endsWith(".mdx") || file === "index.mdx") continue;
      const chars = fs.readFileSync(path.join(dir, file), "utf8").length;
      if (chars > longest.chars) longest = { slug, file, chars };
    }
  }
  const dir = path.join(root, longest.slug);
  const files = Object.fromEntries(fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
  const times: number[] = [];
  // The first run warms the compiler (esbuild, the MDX plugins): reported apart.
  let first = 0;
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    const preview = await previewFile(longest.slug, files, longest.file);
    const ms = performance.now() - started;
    if (preview.html === null) throw new Error(`the preview of ${longest.file} failed: ${JSON.stringify(preview.problems)}`);
    if (i === 0) first = ms;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ longest, previewFirstMs: first, previewMedianMs: times[Math.floor(times.length / 2)]!, runs: RUNS }));
} finally {
  await handle.close();
  lock?.release();
}
