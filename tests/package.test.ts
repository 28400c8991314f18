// The two manifests describe one package: same version, no runtime
// dependencies, and an npm entry that points at the tsup build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), "utf8"));

test("deno.json (JSR) and package.json (npm) carry the same version and license", () => {
  const jsr = read("deno.json");
  const npm = read("package.json");
  assert.equal(jsr.version, npm.version);
  assert.equal(jsr.license, npm.license);
  // The same entry names on both sides, JSR's pointing at sources, npm's at the build.
  assert.deepEqual(Object.keys(jsr.exports).sort(), Object.keys(npm.exports).sort());
  assert.equal(jsr.exports["."], "./mod.ts");
  for (const [name, file] of Object.entries(jsr.exports)) {
    assert.ok(readFileSync(new URL(`../${file}`, import.meta.url)), `${name} -> ${file} exists`);
  }
});

test("package.json has zero runtime dependencies and exports the built files with types", () => {
  const npm = read("package.json");
  assert.equal(npm.dependencies, undefined);
  assert.equal(npm.peerDependencies, undefined);
  assert.equal(npm.type, "module");
  const main = npm.exports["."];
  // Conditions in the order npm resolution tries them: types first, then
  // bun and deno before node (Deno honours a node key listed first).
  assert.deepEqual(Object.keys(main), ["types", "bun", "deno", "browser", "node", "default"]);
  assert.equal(main.types, "./dist/mod.d.ts");
  for (const name of ["./core", "./node", "./deno", "./bun", "./browser"]) {
    const base = name.slice(2);
    assert.deepEqual(npm.exports[name], {
      types: `./dist/${base}.d.ts`,
      default: `./dist/${base}.js`,
    });
  }
});
