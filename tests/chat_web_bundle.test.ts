// The chat page's committed script is what scripts/build-web.mjs builds from
// examples/chat/web/app.ts now, so it cannot go stale behind the library.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

interface BuildWeb {
  buildChatBundle(): Promise<string>;
  bundlePath: string;
}

test("examples/chat/web/chat.js is byte for byte what scripts/build-web.mjs builds", {
  timeout: 60_000,
}, async () => {
  // A computed specifier: the build script is plain JavaScript without types.
  const script = new URL("../scripts/build-web.mjs", import.meta.url).href;
  const { buildChatBundle, bundlePath } = (await import(script)) as BuildWeb;
  const built = await buildChatBundle();
  const committed = await readFile(bundlePath, "utf8");
  assert.ok(
    built === committed,
    "examples/chat/web/chat.js is stale: run `node scripts/build-web.mjs` and commit it",
  );
  // The page is for browsers: no runtime module or global in it.
  for (const re of [/["'`]node:/, /\bDeno\./, /\bBun\./, /\bprocess\./]) {
    assert.doesNotMatch(built, re);
  }
});
