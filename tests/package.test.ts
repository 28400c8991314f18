// The two manifests describe one package: same version, no runtime
// dependencies, and an npm entry that points at the tsup build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (name: string) => JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), "utf8"));

test("deno.json (JSR) and package.json (npm) carry the same version and license", () => {
  const jsr = read("deno.json");
  const npm = read("package.json");
  assert.equal(jsr.version, npm.version);
  assert.equal(jsr.license, npm.license);
  assert.equal(jsr.exports, "./mod.ts");
});

test("package.json has zero runtime dependencies and exports the built files with types", () => {
  const npm = read("package.json");
  assert.equal(npm.dependencies, undefined);
  assert.equal(npm.peerDependencies, undefined);
  assert.equal(npm.type, "module");
  assert.deepEqual(npm.exports["."], { types: "./dist/mod.d.ts", default: "./dist/mod.js" });
});
