// The HTTP side of a gorillaws.Acceptor over real sockets: path matching as
// cellnet's (Go ServeMux), plain requests (404, or the user's handler), the
// handshake details a foreign client holds us to, and the upgrade request
// readable from the session.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  gorillaws,
  SessionAccepted,
  WebSocketHandshakeError,
  type WSRequestInfo,
} from "../mod.ts";
import { echoAcceptor, rawHttp, upgradeRequest, WsPeer } from "./_gorillaws.ts";
import { T } from "./_helpers.ts";

test("paths match as cellnet's: exact, a trailing / for the subtree, none for all", T, async () => {
  const cases: [string, string, number][] = [
    ["/echo", "/echo", 101],
    ["/echo", "/echo?token=1", 101],
    ["/echo", "/echo/x", 404],
    ["/echo", "/", 404],
    ["/ws/", "/ws/abc", 101],
    ["/ws/", "/ws/", 101],
    ["/ws/", "/ws", 301],
    ["/ws/", "/other", 404],
    ["", "/anything/at/all", 101],
  ];
  for (const [route, path, status] of cases) {
    const { acceptor } = await echoAcceptor(route);
    try {
      const res = await rawHttp(acceptor.port, upgradeRequest(path));
      assert.equal(res.status, status, `acceptor ${route || "(no path)"}, GET ${path}`);
      if (status === 404) assert.equal(res.body, "404 page not found\n");
      if (status === 301) assert.match(res.headers, /\r\nLocation: \/ws\/\r\n/);
    } finally {
      await acceptor.stop();
    }
  }
});

test(
  "a plain HTTP request gets 404 without a handler, the handler's answer with one",
  T,
  async () => {
    const plain = await echoAcceptor("/echo");
    try {
      const res = await fetch(`http://127.0.0.1:${plain.acceptor.port}/health`);
      assert.equal(res.status, 404);
      assert.equal(await res.text(), "404 page not found\n");
      assert.equal(plain.acceptor.sessionCount(), 0);
    } finally {
      await plain.acceptor.stop();
    }
    const served = await echoAcceptor("/echo", {
      webSocket: {
        onRequest: (req) =>
          req.path === "/health"
            ? { status: 200, headers: { "X-Seen": req.query }, body: "ok\n" }
            : { status: 404, body: "nope\n" },
      },
    });
    try {
      const health = await fetch(`http://127.0.0.1:${served.acceptor.port}/health?full=1`);
      assert.equal(health.status, 200);
      assert.equal(health.headers.get("x-seen"), "full=1");
      assert.equal(await health.text(), "ok\n");
      const other = await fetch(`http://127.0.0.1:${served.acceptor.port}/other`);
      assert.equal(other.status, 404);
      assert.equal(await other.text(), "nope\n");
      // The upgrade still works beside it.
      const client = await WsPeer.open(served.url);
      await client.close();
    } finally {
      await served.acceptor.stop();
    }
  },
);

test("an unsupported Sec-WebSocket-Version gets 426 naming version 13", T, async () => {
  const { acceptor } = await echoAcceptor();
  try {
    const res = await rawHttp(acceptor.port, upgradeRequest("/echo", "", "8"));
    assert.equal(res.status, 426);
    assert.match(res.headers, /\r\nSec-WebSocket-Version: 13\r\n/i);
    assert.ok(res.closed, "the connection is closed after the answer");
    const none = await rawHttp(acceptor.port, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal(none.status, 400, "no upgrade on the route: 400, as from Go");
    assert.match(none.headers, /\r\nSec-WebSocket-Version: 13\r\n/i);
    assert.equal(acceptor.sessionCount(), 0);
  } finally {
    await acceptor.stop();
  }
});

test("a handshake with 2 MiB of headers is refused without a session", T, async () => {
  const { acceptor, log } = await echoAcceptor();
  try {
    const line = `X-Pad: ${"a".repeat(1000)}\r\n`;
    const huge = upgradeRequest("/echo", line.repeat(2100));
    assert.ok(huge.length > 2 * 1024 * 1024);
    const res = await rawHttp(acceptor.port, huge).catch((e: Error) => ({
      status: -1,
      closed: true,
      e,
    }));
    // The 431 answer may be lost to a reset when the server closes with the
    // rest unread; either way the connection ends and no session is made.
    assert.ok(res.status === 431 || res.status === 0 || res.status === -1, `status ${res.status}`);
    assert.ok(res.closed);
    assert.equal(acceptor.sessionCount(), 0);
    assert.equal(log.events.length, 0);
    // The acceptor still serves.
    const client = await WsPeer.open(`ws://127.0.0.1:${acceptor.port}/echo`);
    await client.close();
  } finally {
    await acceptor.stop();
  }
});

test(
  'the upgrade request (url, headers, remote address) is session context "request"',
  T,
  async () => {
    const { acceptor, log } = await echoAcceptor("/echo");
    try {
      const client = await WsPeer.open(
        `ws://127.0.0.1:${acceptor.port}/echo?token=abc`,
        { "X-Player": "42" },
      );
      const ev = await log.nextOf(SessionAccepted);
      const req = ev.session.getContext<WSRequestInfo>("request");
      assert.ok(req, "request context set before SessionAccepted");
      assert.equal(req.url, "/echo?token=abc");
      assert.equal(req.path, "/echo");
      assert.equal(req.query, "token=abc");
      assert.equal(req.headers["x-player"], "42");
      assert.equal(req.remoteAddress.host, "127.0.0.1");
      assert.equal(`${req.remoteAddress.host}:${req.remoteAddress.port}`, ev.session.remoteAddress);
      assert.equal(req.headers, req.headers, "parsed once, then kept");
      const json = JSON.parse(JSON.stringify(req));
      assert.equal(json.url, "/echo?token=abc");
      assert.equal(json.headers["x-player"], "42", "JSON has the headers too");
      await client.close();
    } finally {
      await acceptor.stop();
    }
  },
);

test("gorillaws addresses are read as cellnet writes them", () => {
  const forms: [string, string, number, string][] = [
    ["http://127.0.0.1:18802/echo", "127.0.0.1", 18802, "/echo"],
    ["ws://127.0.0.1:18802/echo", "127.0.0.1", 18802, "/echo"],
    ["127.0.0.1:18802/echo", "127.0.0.1", 18802, "/echo"],
    ["127.0.0.1:18802", "127.0.0.1", 18802, ""],
    ["ws://[::1]:18802/chat", "::1", 18802, "/chat"],
  ];
  for (const [address, host, port, path] of forms) {
    const peer = new gorillaws.Acceptor({ address });
    assert.deepEqual([peer.endpoint.host, peer.endpoint.port, peer.endpoint.path], [
      host,
      port,
      path,
    ], address);
  }
});

test(
  "a SyncConnector dials every address form cellnet writes, and a wrong path fails with 404",
  T,
  async () => {
    const { acceptor } = await echoAcceptor("/echo");
    try {
      for (
        const address of [
          `127.0.0.1:${acceptor.port}/echo`,
          `ws://127.0.0.1:${acceptor.port}/echo`,
          `http://127.0.0.1:${acceptor.port}/echo`,
        ]
      ) {
        const client = new gorillaws.SyncConnector({ address });
        bindProcessorHandler(client, "gorillaws.ltv", () => {});
        await client.start();
        assert.ok(client.isConnected, address);
        await client.stop();
      }
      const lost = new gorillaws.SyncConnector({ address: `ws://127.0.0.1:${acceptor.port}/nope` });
      bindProcessorHandler(lost, "gorillaws.ltv", () => {});
      await assert.rejects(
        lost.start(),
        (e: unknown) => e instanceof WebSocketHandshakeError && e.status === 404,
      );
    } finally {
      await acceptor.stop();
    }
  },
);
