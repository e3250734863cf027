// Largest functions (lines) in app/ and db/ using the TypeScript compiler API.
import ts from "typescript"; import fs from "node:fs"; import path from "node:path";
const root = process.argv[2] || "."; const out = [];
function walk(d){ for (const e of fs.readdirSync(path.join(root,d),{withFileTypes:true})) { const p = path.join(d,e.name); if (e.isDirectory()) walk(p); else if (/\.(ts|tsx)$/.test(e.name)) scan(p); } }
function scan(f){ const src = fs.readFileSync(path.join(root,f),"utf8"); const sf = ts.createSourceFile(f, src, ts.ScriptTarget.Latest, true, f.endsWith("x")?ts.ScriptKind.TSX:ts.ScriptKind.TS);
  const visit=(n)=>{ if (ts.isFunctionDeclaration(n)||ts.isArrowFunction(n)||ts.isFunctionExpression(n)||ts.isMethodDeclaration(n)) { const a=sf.getLineAndCharacterOfPosition(n.getStart()).line, b=sf.getLineAndCharacterOfPosition(n.getEnd()).line; let name = n.name?.getText?.() ?? (ts.isVariableDeclaration(n.parent)? n.parent.name.getText(): "<anon>"); out.push([b-a+1, `${f}:${a+1} ${name}`]); } ts.forEachChild(n,visit); }; visit(sf); }
walk("app"); walk("db");
out.sort((x,y)=>y[0]-x[0]); const over = out.filter(x=>x[0]>120);
console.log(`functions over 120 lines: ${over.length}`); for (const [n,s] of out.slice(0, Number(process.argv[3]||15))) console.log(`  ${n}  ${s}`);
