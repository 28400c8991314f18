// What the README shows is what runs: every TypeScript block in README.md is
// a file under examples/ (its first line names it), shown with the package's
// import name; the quick-start files run here as real processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Proc } from "./_proc.ts";
import { within } from "./_helpers.ts";

const root = new URL("..", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test("every TypeScript block in the README is an examples/ file, verbatim", () => {
  assert.ok(blocks.length >= 3, `README has ${blocks.length} ts blocks`);
  for (const block of blocks) {
    const named = /^\/\/ (examples\/\S+\.ts)/.exec(block);
    assert.ok(
      named,
      `a README block does not start with "// examples/<file>.ts":\n${block.slice(0, 200)}`,
    );
    const file = readFileSync(new URL(named[1], root), "utf8").replaceAll(
      '"../../mod.ts"',
      '"@cellnet/cellnet"',
    );
    assert.equal(block, file, `README block differs from ${named[1]}`);
  }
});

for (const server of ["examples/quickstart/server.ts", "examples/quickstart/dispatcher.ts"]) {
  test(
    `README quick start: ${server} answers examples/quickstart/client.ts`,
    { timeout: 40_000 },
    async () => {
      const srv = new Proc(server, ["127.0.0.1:0"]);
      try {
        const port = (await srv.waitFor(/listening on port (\d+)/, 20_000))[1];
        const client = new Proc("examples/quickstart/client.ts", [`127.0.0.1:${port}`]);
        await client.waitFor(/sid1 say: hello\n/, 20_000);
        assert.equal(await within(client.exited, 10_000, "client exit"), 0);
      } finally {
        await srv.stop();
      }
    },
  );
}
