// The examples as real processes on the runtime running this test: the chat
// server with three chat clients, and the echo server with its client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { within } from "./_helpers.ts";
import { Proc } from "./_proc.ts";

test("examples/chat: three clients exchange lines through the server", { timeout: 40_000 }, async () => {
  const server = new Proc("examples/chat/server.ts", ["127.0.0.1:0"]);
  const clients: Proc[] = [];
  try {
    const port = (await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 20_000))[1];
    for (let i = 0; i < 3; i++) {
      const c = new Proc("examples/chat/client.ts", [`127.0.0.1:${port}`]);
      clients.push(c);
      await server.waitFor(new RegExp(`server accepted: sid${i + 1} `), 20_000);
    }
    // Two lines in one write: both must be sent.
    clients[0].child.stdin!.write("  hello from one  \n\nsecond line\n");
    clients[2].child.stdin!.write("你好 😀\n");
    for (const c of clients) {
      await c.waitFor(/sid1 say: hello from one\n/);
      await c.waitFor(/sid1 say: second line\n/);
      await c.waitFor(/sid3 say: 你好 😀\n/);
    }
    for (const c of clients) c.child.stdin!.end();
    for (const c of clients) assert.equal(await within(c.exited, 10_000, "client exit"), 0);
  } finally {
    for (const c of clients) await c.stop();
    await server.stop();
  }
});

test("examples/echo: the client prints the server's reply", { timeout: 40_000 }, async () => {
  const server = new Proc("examples/echo/server.ts", ["127.0.0.1:0"]);
  try {
    const port = (await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 20_000))[1];
    const client = new Proc("examples/echo/client.ts", [`127.0.0.1:${port}`, "ping 🏓"]);
    await client.waitFor(/reply: Msg=ping 🏓 Value=1234/, 20_000);
    assert.equal(await within(client.exited, 10_000, "client exit"), 0);
  } finally {
    await server.stop();
  }
});
