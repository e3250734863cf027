import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { checkClientBuild, findNodeBuiltins } from "#tests/client-bundle-check.mjs";

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
