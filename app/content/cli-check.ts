/**
 * `npm run content:check [folder]`: validates the curriculum and prints each
 * problem as `file:line: message`. Exits 1 when there is any problem.
 */
import path from "node:path";
import { projectRoot } from "#db/client.ts";
import { checkContent } from "./check.server.ts";

const dir = path.resolve(process.argv[2] ?? path.join(projectRoot(), "content", "modules"));
const report = await checkContent(dir);
for (const problem of report.problems) console.error(problem);
if (report.problems.length > 0) {
  console.error(`\n${report.problems.length} problem(s) in ${path.relative(process.cwd(), dir) || dir}.`);
  process.exit(1);
}
console.log(`Content OK: ${report.modules} module(s), ${report.lessons} lesson(s), ${report.questions} question(s).`);
