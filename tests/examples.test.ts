// The examples as real processes on the runtime running this test: the chat
// server with TCP and WebSocket chat clients and its web page over HTTP, and
// the echo server with its client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { within } from "./_helpers.ts";
import { Proc } from "./_proc.ts";
import { startChatServer } from "./_chat_server.ts";

test(
  "examples/chat: three clients exchange lines through the server",
  { timeout: 40_000 },
  async () => {
    const { proc: server, tcpPort: port } = await startChatServer();
    const clients: Proc[] = [];
    try {
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
  },
);

test("examples/chat: a WebSocket client and a TCP client chat both ways, with distinct ids", {
  timeout: 40_000,
}, async () => {
  const { proc: server, tcpPort, wsPort } = await startChatServer();
  const clients: Proc[] = [];
  try {
    const tcpClient = new Proc("examples/chat/client.ts", [`127.0.0.1:${tcpPort}`]);
    clients.push(tcpClient);
    const tcpId = (await server.waitFor(/server accepted: sid(\d+) /, 20_000))[1];
    const wsClient = new Proc("examples/chat/client.ts", [`ws://127.0.0.1:${wsPort}/chat`]);
    clients.push(wsClient);
    const wsId =
      (await server.waitFor(new RegExp(`server accepted: sid(?!${tcpId} )(\\d+) `), 20_000))[1];
    assert.notEqual(wsId, tcpId);
    // Both sessions are accepted, so each gets every broadcast from here on.
    wsClient.child.stdin!.write("from the web side 🌐\n");
    tcpClient.child.stdin!.write("from the tcp side\n");
    for (const c of clients) {
      await c.waitFor(new RegExp(`sid${wsId} say: from the web side 🌐\n`));
      await c.waitFor(new RegExp(`sid${tcpId} say: from the tcp side\n`));
    }
    for (const c of clients) c.child.stdin!.end();
    for (const c of clients) assert.equal(await within(c.exited, 10_000, "client exit"), 0);
  } finally {
    for (const c of clients) await c.stop();
    await server.stop();
  }
});

test("examples/chat: the WebSocket port serves the page at /, its script, and 404 elsewhere", {
  timeout: 40_000,
}, async () => {
  const { proc: server, wsPort } = await startChatServer();
  const base = `http://127.0.0.1:${wsPort}`;
  try {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/chat\.js"><\/script>/);
    assert.match(html, /<meta name="cellnet-chat-path" content="\/chat">/);
    assert.match(html, /<input id="line" /);
    assert.match(html, /<ul id="messages"/);

    const script = await fetch(`${base}/chat.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
    const committed = await readFile(new URL("../examples/chat/web/chat.js", import.meta.url));
    assert.deepEqual(new Uint8Array(await script.arrayBuffer()), new Uint8Array(committed));

    // No serve-the-page-for-any-path fallback.
    for (const path of ["/index.html", "/nope", "/chat.js/", "/web/chat.js", "/app.ts"]) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    // The WebSocket path itself, without an upgrade, as the acceptor answers it.
    const plain = await fetch(`${base}/chat`);
    assert.equal(plain.status, 400);
    await plain.body?.cancel();
  } finally {
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
