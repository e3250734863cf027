// Resolves the project's import specifiers for eslint-plugin-boundaries
// (eslint-module-utils resolver interface v2): the package.json "imports"
// aliases (#app/*, #db/*, #tests/*, ADR 003) and relative paths, both written
// with their extension. Bare names (react, drizzle-orm) are external: found=false
// lets boundaries treat them as external modules, which the layers allow.
const path = require("node:path");
const fs = require("node:fs");

const root = path.resolve(__dirname, "..");
const aliases = { "#app/": "app/", "#db/": "db/", "#tests/": "tests/" };

exports.interfaceVersion = 2;
exports.resolve = (source, file) => {
  let target = null;
  for (const [alias, folder] of Object.entries(aliases)) {
    if (source.startsWith(alias)) target = path.join(root, folder, source.slice(alias.length));
  }
  if (source.startsWith(".")) target = path.resolve(path.dirname(file), source);
  if (!target) return { found: false };
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { found: true, path: candidate };
  }
  // An import of a file that does not exist still names its layer: report the
  // path so a planted upward import is caught even before the file is written.
  return { found: true, path: target };
};
