import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { checkClientBuild, checkCodeMirrorLazy, codeMirrorChunks, findNodeBuiltins } from "#tests/client-bundle-check.mjs";

// What the staff-CSV module put into the upload page's chunk (issue 15, item 1).
const STAFF_CSV_CHUNK = 'var E=i(C(),1);var Y={utf8:Buffer.from([239,187,191]),utf16le:Buffer.from([255,254])};';

test("the Buffer the staff-CSV parser leaked into the upload page is found", () => {
  expect(findNodeBuiltins(STAFF_CSV_CHUNK).map((f) => f.rule)).toEqual(["Buffer (a Node global)", "Buffer (a Node global)"]);
});

test("Node globals and modules are found", () => {
  const rules = (code: string) => findNodeBuiltins(code).map((f) => f.rule);
  expect(rules('const k=process.env.SECRET;')).toEqual(["process (a Node global)"]);
  expect(rules('process.nextTick(f)')).toEqual(["process (a Node global)"]);
  expect(rules('global.setTimeout(f)')).toEqual(["global (Node's name for globalThis)"]);
  expect(rules('const d=__dirname;')).toEqual(["__dirname or __filename"]);
  expect(rules('import fs from"node:fs";')).toEqual(["a node: import"]);
  expect(rules('const fs=require("fs");')).toEqual(["require of a Node module"]);
  expect(rules("import{readFile}from 'fs/promises';")).toEqual(["import of a Node module"]);
});

test("names that only look like Node globals are not found", () => {
  const innocent = [
    "new ArrayBuffer(8)",
    "new SharedArrayBuffer(8)",
    "x.Buffer=1",
    "const o={process:()=>E};o.process(r)",
    "class S{process(r,i){return r}}",
    "globalThis.fetch(u)",
    'const msg="processing";',
    "import{a}from'./fs-helpers.js'",
    "const fsx=require('./fs')",
  ].join("\n");
  expect(findNodeBuiltins(innocent)).toEqual([]);
});

test("a build directory is checked file by file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "client-build-"));
  try {
    fs.mkdirSync(path.join(dir, "routes"));
    fs.writeFileSync(path.join(dir, "routes", "bad-ABC.js"), STAFF_CSV_CHUNK);
    fs.writeFileSync(path.join(dir, "routes", "good-DEF.js"), "export default function(){return new ArrayBuffer(1)}");
    fs.writeFileSync(path.join(dir, "routes", "notes.map"), "Buffer.from(x)");
    expect(checkClientBuild(dir).map((p) => p.file)).toEqual([path.join("routes", "bad-ABC.js"), path.join("routes", "bad-ABC.js")]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A line of CodeMirror's view as it lands in a chunk (from the editor chunk of the build).
const CODEMIRROR_CHUNK = 'let o={spellcheck:"false",contenteditable:"true",class:"cm-content",role:"textbox","aria-multiline":"true"};';

/** A build folder (public/build) with a manifest and the given chunks; returns its path. */
function fakeBuild(routes: Record<string, { module: string; imports?: string[] }>, chunks: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "client-build-"));
  const dir = path.join(root, "build");
  fs.mkdirSync(path.join(dir, "routes"), { recursive: true });
  fs.mkdirSync(path.join(dir, "_shared"));
  const manifest = { entry: { module: "/build/entry.client-A.js", imports: [] }, routes: Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, { id, ...r }])) };
  fs.writeFileSync(path.join(dir, "manifest-ABC123.js"), `window.__remixManifest=${JSON.stringify(manifest)};`);
  fs.writeFileSync(path.join(dir, "entry.client-A.js"), "import('./x.js')");
  for (const [name, text] of Object.entries(chunks)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test("CodeMirror in a chunk only import() fetches passes; in a shared chunk a learner page loads it fails", () => {
  const routes = {
    root: { module: "/build/root-R.js" },
    "routes/learning": { module: "/build/routes/learning-L.js", imports: ["/build/_shared/chunk-S.js"] },
    "routes/studio.$slug.files.$file": { module: "/build/routes/studio-F.js", imports: ["/build/_shared/chunk-S.js"] },
  };
  const lazy = fakeBuild(routes, {
    "root-R.js": "",
    "routes/learning-L.js": "",
    "routes/studio-F.js": 'import("/build/_shared/code-editor.client-C.js")',
    "_shared/chunk-S.js": "export const a=1;",
    "_shared/code-editor.client-C.js": CODEMIRROR_CHUNK,
  });
  const shared = fakeBuild(routes, {
    "root-R.js": "",
    "routes/learning-L.js": "",
    "routes/studio-F.js": "",
    "_shared/chunk-S.js": CODEMIRROR_CHUNK,
  });
  try {
    expect(checkCodeMirrorLazy(lazy)).toEqual([]);
    expect(codeMirrorChunks(lazy).map((c) => c.file)).toEqual([path.join("_shared", "code-editor.client-C.js")]);
    expect(checkCodeMirrorLazy(shared)).toEqual([
      { file: "/build/_shared/chunk-S.js", message: "CodeMirror is in a chunk loaded up front outside the studio (by routes/learning)" },
    ]);
  } finally {
    fs.rmSync(path.dirname(lazy), { recursive: true, force: true });
    fs.rmSync(path.dirname(shared), { recursive: true, force: true });
  }
});

test("CodeMirror imported statically by the studio's own route is refused too: it must be lazy", () => {
  const dir = fakeBuild({ root: { module: "/build/root-R.js" }, "routes/studio.$slug.files.$file": { module: "/build/routes/studio-F.js" } }, {
    "root-R.js": "",
    "routes/studio-F.js": CODEMIRROR_CHUNK,
  });
  try {
    expect(checkCodeMirrorLazy(dir)).toEqual([
      {
        file: "/build/routes/studio-F.js",
        message: "CodeMirror is in a chunk a studio route loads statically (by routes/studio.$slug.files.$file); import it with import() in the editor component",
      },
    ]);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
