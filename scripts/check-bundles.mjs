#!/usr/bin/env node
// CI gate: the portable entries bundle for a browser with no runtime in them.
// Bundles ./core and ./browser with esbuild (--bundle --platform=browser
// --format=esm) and fails if the output references node:, Deno. or Bun.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entries = { core: "src/entries/core.ts", browser: "src/entries/browser.ts" };
const forbidden = [/["'`]node:/, /\bDeno\./, /\bBun\./];
let failed = 0;
for (const [name, entry] of Object.entries(entries)) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
  }).catch((e) => ({ error: e }));
  if (result.error) {
    console.log(`FAIL ${name}: the browser bundle does not build: ${result.error.message}`);
    failed++;
    continue;
  }
  const text = result.outputFiles[0].text;
  const hits = forbidden.filter((re) => re.test(text)).map(String);
  if (hits.length) {
    console.log(`FAIL ${name}: the browser bundle references ${hits.join(", ")}`);
    failed++;
  } else {
    console.log(
      `ok   ${name}: browser bundle of ${entry}, ${
        (text.length / 1024).toFixed(0)
      } KiB, no runtime references`,
    );
  }
}
process.exit(failed ? 1 : 0);
