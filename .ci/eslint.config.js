// ESLint flat config (run as `npm run lint`, which passes -c: the repository's
// top level is kept to the folders the project guide names).
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The layers of docs/decisions/026, bottom first. A file may import its own
 * layer and those listed for it; anything else is an upward (or sideways)
 * import and fails `npm run lint`. First match wins, so the foundation
 * services (env, logger, request context: file names, unique in app/) come
 * before the other services, and "app" (root.tsx, entry.*, server.ts,
 * boot.server.ts) last, catching what no folder above claims.
 */
export const LAYERS = [
  { type: "db", pattern: "db", mayImport: [] },
  { type: "utils", pattern: "app/utils", mayImport: ["db"] },
  { type: "foundation", pattern: "{env,logger,request-context}.server.ts", mode: "file", mayImport: ["utils", "db"] },
  { type: "content", pattern: "app/content", mayImport: ["foundation", "utils", "db"] },
  { type: "models", pattern: "app/models", mayImport: ["content", "foundation", "utils", "db"] },
  { type: "services", pattern: "app/services", mayImport: ["models", "content", "foundation", "utils", "db"] },
  { type: "jobs", pattern: "app/jobs", mayImport: ["services", "models", "content", "foundation", "utils", "db"] },
  { type: "components", pattern: "app/components", mayImport: ["content", "utils"] },
  { type: "routes", pattern: "app/routes", mayImport: ["app", "components", "services", "jobs", "models", "content", "foundation", "utils", "db"] },
  { type: "app", pattern: "app", mayImport: ["routes", "components", "services", "jobs", "models", "content", "foundation", "utils", "db"] },
];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".cache/**", "data/**", "test-results/**", "playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { drizzle, "react-hooks": reactHooks },
    rules: {
      // Every UPDATE and DELETE has a WHERE: an unscoped one rewrites every organisation's data.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle.db"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "handle.db"] }],
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  {
    // The import resolver is CommonJS: eslint-module-utils loads resolvers with require().
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/root-path": path.resolve(here, ".."),
      "boundaries/elements": LAYERS.map(({ type, pattern, mode }) => (mode ? { type, pattern, mode } : { type, pattern, partialMatch: false })),
      // The foundation entry matches file names ("mode: file", which boundaries 7
      // marks deprecated); its warning would print on every run.
      "boundaries/legacy-warnings": false,
      "import/resolver": { [path.join(here, "eslint-import-resolver.cjs")]: {} },
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          policies: [
            { allow: { to: { module: { origin: "external" } } } },
            { allow: { to: { module: { origin: "core" } } } },
            ...LAYERS.map(({ type, mayImport }) => ({
              from: { element: { type } },
              allow: { to: { element: { types: { anyOf: [type, ...mayImport] } } } },
            })),
          ],
        },
      ],
    },
  },
);
