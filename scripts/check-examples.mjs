#!/usr/bin/env node
// CI gate: every exported class and function of the public entries has a
// JSDoc @example (which `deno test --doc` then runs). Reads `deno doc --json`.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const deno = join(root, "node_modules", ".bin", "deno");
const entries = ["mod.ts", "src/entries/core.ts", "src/entries/browser.ts", "src/entries/node.ts"];
const missing = new Set();
let checked = 0;

function visit(symbol, prefix) {
  const name = prefix + symbol.name;
  const decls = symbol.declarations ?? [];
  for (const decl of decls) {
    if (decl.kind === "namespace") {
      for (const inner of decl.def?.elements ?? []) visit(inner, name + ".");
    }
  }
  const own = decls.filter((d) => d.kind === "class" || d.kind === "function");
  if (own.length === 0) return;
  checked++;
  // Overloads: the example may sit on any one of the signatures.
  const documented = own.some((d) => (d.jsDoc?.tags ?? []).some((t) => t.kind === "example"));
  if (!documented) {
    missing.add(`${name} (${own[0].location.filename.replace(`file://${root}/`, "")})`);
  }
}

for (const entry of entries) {
  const out = execFileSync(deno, ["doc", "--json", entry], { cwd: root, maxBuffer: 64 << 20 })
    .toString();
  const doc = JSON.parse(out);
  for (const node of Object.values(doc.nodes)) for (const s of node.symbols ?? []) visit(s, "");
}
if (missing.size) {
  console.log(`${missing.size} exported classes/functions have no @example:`);
  for (const m of [...missing].sort()) console.log(`  ${m}`);
  process.exit(1);
}
console.log(
  `ok: all ${checked} exported classes and functions of ${entries.length} entries have an @example`,
);
