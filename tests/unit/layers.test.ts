import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { expect, test } from "vitest";

/**
 * The layer rule of docs/decisions/026, run through ESLint's Node API with the
 * project's own configuration (.ci/eslint.config.js) on planted files: an
 * upward import must fail `npm run lint`, an allowed one must not. And the
 * import graph of app/ and db/ has no cycles (the lint rule sees one import at
 * a time, so cycles are walked here).
 */

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, ".ci/eslint.config.js") });

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);
}

test("a pure util importing a model fails lint", { timeout: 60_000 }, async () => {
  const errors = await layerErrors(
    "app/utils/planted-upward.ts",
    'import { listPeople } from "#app/models/organisations/people.server.ts";\nexport const planted = listPeople;\n',
  );
  expect(errors).toEqual(['There is no policy allowing dependencies from elements of type "utils" to elements of type "models"']);
});

test("the schema importing app code by a relative path fails lint", { timeout: 60_000 }, async () => {
  const errors = await layerErrors(
    "db/schema/planted-upward.ts",
    'import type { ModuleFrontmatter } from "../../app/content/schema.ts";\nexport type Planted = ModuleFrontmatter;\n',
  );
  expect(errors).toEqual(['There is no policy allowing dependencies from elements of type "db" to elements of type "content"']);
});

test("a component importing a type from a model fails lint", { timeout: 60_000 }, async () => {
  const errors = await layerErrors(
    "app/components/planted-upward.tsx",
    'import type { PeopleFilter } from "#app/models/organisations/people.server.ts";\nexport type Planted = PeopleFilter;\n',
  );
  expect(errors).toEqual(['There is no policy allowing dependencies from elements of type "components" to elements of type "models"']);
});

test("a model importing a guard from services fails lint", { timeout: 60_000 }, async () => {
  const errors = await layerErrors(
    "app/models/planted-upward.server.ts",
    'import { requireUser } from "#app/services/session.server.ts";\nexport const planted = requireUser;\n',
  );
  expect(errors).toEqual(['There is no policy allowing dependencies from elements of type "models" to elements of type "services"']);
});

test("downward imports pass: a model using env, logger and utils; a route using models and services", { timeout: 60_000 }, async () => {
  expect(
    await layerErrors(
      "app/models/planted-downward.server.ts",
      [
        'import { getEnv } from "#app/services/env.server.ts";',
        'import { createLogger } from "#app/services/logger.server.ts";',
        'import { formatDate } from "#app/utils/format.ts";',
        'import { people } from "#db/schema/index.ts";',
        "export const planted = [getEnv, createLogger, formatDate, people];",
        "",
      ].join("\n"),
    ),
  ).toEqual([]);
  expect(
    await layerErrors(
      "app/routes/planted-downward.tsx",
      [
        'import { listPeople } from "#app/models/organisations/people.server.ts";',
        'import { requireOrgRole } from "#app/services/org-permissions.server.ts";',
        'import { Button } from "#app/components/ui/button.tsx";',
        "export const planted = [listPeople, requireOrgRole, Button];",
        "",
      ].join("\n"),
    ),
  ).toEqual([]);
});

/** Every import of app/ and db/ files, resolved to repository paths. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const p = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(entry.name)) files.push(p);
    }
  };
  walk("app");
  walk("db");
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const specifier = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    const deps: string[] = [];
    for (const match of source.matchAll(specifier)) {
      const spec = match[1] ?? match[2] ?? "";
      let target: string | null = null;
      if (spec.startsWith("#app/")) target = `app/${spec.slice(5)}`;
      else if (spec.startsWith("#db/")) target = `db/${spec.slice(4)}`;
      else if (spec.startsWith(".")) target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (target && known.has(target)) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The import cycles: each a list of files, found by depth-first search. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === "open") found.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

test("the cycle walk finds a planted cycle", () => {
  const graph = new Map([
    ["app/models/a.server.ts", ["app/models/b.server.ts"]],
    ["app/models/b.server.ts", ["app/models/a.server.ts"]],
  ]);
  expect(cycles(graph)).toEqual([["app/models/a.server.ts", "app/models/b.server.ts", "app/models/a.server.ts"]]);
});

test("app/ and db/ have no import cycles", () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(150);
  expect(cycles(graph)).toEqual([]);
});
