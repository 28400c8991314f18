#!/usr/bin/env node
// Builds the chat web page's script: examples/chat/web/app.ts bundled with
// esbuild (from tsup's install) into examples/chat/web/chat.js, which is
// committed so the chat server serves it with no bundler at run time.
// The output depends only on the sources and the esbuild version, so
// tests/chat_web_bundle.test.ts can check that the committed file is current.
//
//   node scripts/build-web.mjs           write examples/chat/web/chat.js
//   node scripts/build-web.mjs --check   exit 1 if it is not what a build gives
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "examples/chat/web/app.ts");
/** The committed bundle. */
export const bundlePath = join(root, "examples/chat/web/chat.js");

// The examples import the repo's mod.ts where a user writes "@cellnet/cellnet";
// for a page that name resolves to the ./browser entry (the package's
// "browser" export condition), so the bundle does the same.
const browserEntry = {
  name: "cellnet-browser-entry",
  setup(build) {
    const mod = join(root, "mod.ts");
    build.onResolve({ filter: /(^|\/)mod\.ts$/ }, (args) => {
      if (join(args.resolveDir, args.path) !== mod) return undefined;
      return { path: join(root, "src/entries/browser.ts") };
    });
  },
};

/** Bundle app.ts; resolves with the text of chat.js. */
export async function buildChatBundle() {
  // esbuild comes with tsup, so it is not a direct dependency: Deno resolves
  // it only through require (the test runs this on all three runtimes).
  const { build } = createRequire(import.meta.url)("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    charset: "ascii",
    write: false,
    logLevel: "silent",
    plugins: [browserEntry],
    banner: {
      js: "// Built from examples/chat/web/app.ts by `node scripts/build-web.mjs`; do not edit.",
    },
  });
  return result.outputFiles[0].text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await buildChatBundle();
  if (process.argv.includes("--check")) {
    const committed = await readFile(bundlePath, "utf8").catch(() => "");
    if (committed !== text) {
      console.log("examples/chat/web/chat.js is stale: run `node scripts/build-web.mjs`");
      process.exit(1);
    }
    console.log("ok: examples/chat/web/chat.js is current");
  } else {
    await writeFile(bundlePath, text);
    console.log(`wrote examples/chat/web/chat.js (${(text.length / 1024).toFixed(0)} KiB)`);
  }
}
