/**
 * The opening handshake: the HTTP head reader and its limits, the server's
 * request checks (each field error with its status), routing as a Go
 * gorillaws acceptor (the vectors' `http` table), plain HTTP through a
 * request handler, the client's checks of the server's answer; in memory,
 * then over real loopback sockets.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TimeoutError, WebSocketHandshakeError } from "../src/errors.ts";
import { loadTransport } from "../src/transport/auto.ts";
import { acceptKey } from "../src/transport/ws/_handshake.ts";
import { HttpHeadReader, parseRequestHead } from "../src/transport/ws/_http.ts";
import { connectWebSocket } from "../src/transport/ws/connect.ts";
import { acceptWebSocket, type AcceptWebSocketOptions } from "../src/transport/ws/upgrade.ts";
import type { WSConnection } from "../src/transport/ws/ws_connection.ts";
import { RawClient } from "./_helpers.ts";
import {
  clientFrame,
  closeBody,
  concat,
  decodeFrames,
  hex,
  MemoryConnection,
  toHex,
  WsRecorder,
} from "./_ws.ts";
import { within } from "./_within.ts";

const T = { timeout: 10_000 };
const te = new TextEncoder();
const td = new TextDecoder();
const gws =
  JSON.parse(readFileSync(new URL("./fixtures/cellnet-ext.json", import.meta.url), "utf8"))
    .gorillaws;
const SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A request head; `fields` replace or (with undefined) remove the defaults. */
function request(
  path = "/echo",
  fields: Record<string, string | undefined> = {},
  start?: string,
): string {
  const base: Record<string, string | undefined> = {
    Host: "127.0.0.1:1",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": SAMPLE_KEY,
    "Sec-WebSocket-Version": "13",
    ...fields,
  };
  let s = `${start ?? `GET ${path} HTTP/1.1`}\r\n`;
  for (const [k, v] of Object.entries(base)) if (v !== undefined) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

/** Run acceptWebSocket on a memory connection fed `input`; the outcome and what was written. */
async function serve(input: string | Uint8Array, options: AcceptWebSocketOptions = {}) {
  const mem = new MemoryConnection();
  const result = acceptWebSocket(mem, options).then(
    (ws) => ({ ws, error: undefined }),
    (error: Error) => ({ ws: undefined, error }),
  );
  mem.feed(typeof input === "string" ? te.encode(input) : input);
  const r = await within(result, 5000, "handshake outcome");
  return { ...r, mem, text: td.decode(concat(...mem.writes)) };
}

const status = (text: string) => Number(text.slice(9, 12));

test("HttpHeadReader finds the head fed byte by byte, keeps the bytes after it, lower-cases and joins fields", () => {
  const raw = te.encode("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\n\r\nTAIL");
  const reader = new HttpHeadReader();
  let got;
  for (let i = 0; i < raw.length && got === undefined; i++) {
    got = reader.push(raw.subarray(i, i + 1));
  }
  assert.ok(got);
  const req = parseRequestHead(got.head);
  assert.deepEqual([req.method, req.url, req.path, req.query, req.version], [
    "GET",
    "/a?b=1",
    "/a",
    "b=1",
    "HTTP/1.1",
  ]);
  assert.equal(req.headers["x-a"], "1, 2");
  assert.equal(req.headers["host"], "x");
  // The tail came in later single-byte chunks, so the reader had none of it.
  assert.equal(got.rest.length, 0);
  const whole = new HttpHeadReader().push(raw)!;
  assert.equal(td.decode(whole.rest), "TAIL");
});

test("HttpHeadReader accepts bare LF line ends and refuses folded or malformed lines with 400", () => {
  const lf = new HttpHeadReader().push(te.encode("GET / HTTP/1.1\nHost: x\n\n"))!;
  assert.equal(parseRequestHead(lf.head).headers["host"], "x");
  for (
    const bad of [
      "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/x\r\n\r\n",
    ]
  ) {
    const got = new HttpHeadReader().push(te.encode(bad))!;
    assert.throws(
      () => parseRequestHead(got.head),
      (e: unknown) => e instanceof WebSocketHandshakeError && e.status === 400,
      bad,
    );
  }
});

test("a head over maxHeaderBytes or with more than maxHeaderCount fields is refused with 431 before it is buffered", async () => {
  const reader = new HttpHeadReader({ maxHeaderBytes: 1024 });
  assert.throws(
    () => reader.push(new Uint8Array(1025).fill(0x41)),
    (e: unknown) => e instanceof WebSocketHandshakeError && e.status === 431,
  );
  const big = await serve(request("/echo", { "X-Big": "x".repeat(17 * 1024) }));
  assert.equal(status(big.text), 431);
  const many: Record<string, string> = {};
  for (let i = 0; i < 101; i++) many[`X-${i}`] = "1";
  const count = await serve(request("/echo", many));
  assert.equal(status(count.text), 431);
  assert.ok(count.error instanceof WebSocketHandshakeError && count.error.status === 431);
  const ok = await serve(request("/echo", Object.fromEntries(Object.entries(many).slice(0, 95))));
  assert.ok(ok.ws);
  ok.ws.close(false);
});

test(
  "the RFC 6455 sample key gets exactly the Go acceptor's 101 response (vector)",
  T,
  async () => {
    assert.equal(await acceptKey(SAMPLE_KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const { ws, text } = await serve(gws.handshake.requestText.replace("<port>", "1"), {
      path: "/echo",
    });
    assert.equal(text, gws.handshake.responseText);
    assert.ok(ws);
    assert.equal(ws.request?.path, "/echo");
    assert.equal(ws.request?.headers["sec-websocket-key"], SAMPLE_KEY);
    assert.equal(ws.request?.remoteAddress.port, 2);
    ws.close(false);
  },
);

test("the Go connector's request (header order, User-Agent) is accepted (vector)", T, async () => {
  const { ws } = await serve(
    gws.connectorFrames.handshakeRequestText.replace("<port>", "1").replace("<random>", SAMPLE_KEY),
    { path: "/echo" },
  );
  assert.ok(ws);
  ws.close(false);
});

const fieldCases: [string, string, number, RegExp?][] = [
  [
    "Upgrade and Connection match case-insensitively, in token lists",
    request("/echo", { Upgrade: "h2c, WebSocket", Connection: "keep-alive, UPGRADE" }),
    101,
  ],
  [
    "a requested subprotocol is not echoed (gorilla parity)",
    request("/echo", { "Sec-WebSocket-Protocol": "chat" }),
    101,
  ],
  [
    "a foreign Origin is accepted (gorilla parity)",
    request("/echo", { Origin: "http://evil.example" }),
    101,
  ],
  [
    "no Upgrade header: 400 with Sec-WebSocket-Version: 13 (vector)",
    request("/echo", { Upgrade: undefined, Connection: undefined }),
    400,
    /Sec-WebSocket-Version: 13/,
  ],
  ["Connection without upgrade: 400", request("/echo", { Connection: "keep-alive" }), 400],
  [
    "method POST: 405 with Allow: GET",
    request("/echo", {}, "POST /echo HTTP/1.1"),
    405,
    /Allow: GET/,
  ],
  ["HTTP/1.0: 400", request("/echo", {}, "GET /echo HTTP/1.0"), 400],
  ["no Host: 400", request("/echo", { Host: undefined }), 400],
  [
    "version 8: 426 with Sec-WebSocket-Version: 13",
    request("/echo", { "Sec-WebSocket-Version": "8" }),
    426,
    /Sec-WebSocket-Version: 13/,
  ],
  ["no version: 426", request("/echo", { "Sec-WebSocket-Version": undefined }), 426],
  ["no key: 400", request("/echo", { "Sec-WebSocket-Key": undefined }), 400],
  [
    "a key of 15 bytes: 400",
    request("/echo", { "Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAA" }),
    400,
  ],
  [
    "a key that is not base64: 400",
    request("/echo", { "Sec-WebSocket-Key": "!!!!!!!!!!!!!!!!!!!!!!==" }),
    400,
  ],
  ["a malformed request line: 400", "GET /echo\r\nHost: x\r\n\r\n", 400],
];
for (const [name, input, want, header] of fieldCases) {
  test(`handshake: ${name}`, T, async () => {
    const { ws, error, text, mem } = await serve(input, { path: "/echo" });
    assert.equal(status(text), want, text);
    if (header) assert.match(text, header);
    if (want === 101) {
      assert.ok(ws);
      assert.doesNotMatch(text, /Sec-WebSocket-Protocol/i);
      ws.close(false);
      return;
    }
    assert.ok(error instanceof WebSocketHandshakeError, String(error));
    assert.equal(error.status, want);
    assert.match(text, /Connection: close\r\n/);
    assert.equal(mem.state, "ended", "the error response is flushed, then TCP ends");
  });
}

test(
  "routing matches a Go gorillaws acceptor: exact path, query ignored, subtree, redirect, 404 (vectors)",
  T,
  async () => {
    for (const v of gws.http) {
      if (
        v.label === "foreign Origin" || v.label === "no upgrade headers" ||
        v.label === "version 8" || v.label === "subprotocol requested"
      ) continue;
      const route =
        (v.acceptorAddress as string).replace(/^[a-z]+:\/\//, "").replace(/^[^/]*/, "") ||
        undefined;
      const { text, ws } = await serve(request(v.path), { path: route });
      assert.equal(text.split("\r\n")[0], v.status, `${v.label}: ${text}`);
      if (v.body !== undefined) assert.ok(text.endsWith(`\r\n\r\n${v.body}`), `${v.label} body`);
      if (v.status.includes("301")) assert.match(text, /Location: \/ws\/\r\n/);
      ws?.close(false);
    }
  },
);

test(
  "frames sent right behind the request, in the same chunk or during the handshake, are kept",
  T,
  async () => {
    const mem = new MemoryConnection();
    const pending = acceptWebSocket(mem, { path: "/echo" });
    mem.feed(concat(te.encode(request()), clientFrame(0x2, "one")));
    mem.feed(clientFrame(0x2, "two"));
    const ws = (await pending)!;
    const rec = new WsRecorder();
    ws.setHandler(rec);
    await rec.count(2);
    assert.deepEqual(rec.messages.map((m) => td.decode(m)), ["one", "two"]);
    ws.close(false);
  },
);

test(
  "a request handler answers plain requests; HEAD gets no body; a throwing handler gives 500",
  T,
  async () => {
    const onRequest = (req: { path: string; method: string }) =>
      req.path === "/health"
        ? Promise.resolve({ status: 200, body: "ok\n", headers: { "X-A": "1" } })
        : { status: 404 };
    const health = await serve("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", {
      path: "/echo",
      onRequest,
    });
    assert.equal(health.ws, undefined);
    assert.equal(health.error, undefined);
    assert.equal(
      health.text,
      "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
    );
    assert.equal(health.mem.state, "ended");
    const head = await serve("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n", {
      path: "/echo",
      onRequest,
    });
    assert.ok(head.text.endsWith("Content-Length: 3\r\nConnection: close\r\n\r\n"));
    const plainOnRoute = await serve("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n", {
      path: "/echo",
      onRequest,
    });
    assert.equal(
      status(plainOnRoute.text),
      404,
      "a non-upgrade request on the route goes to the handler",
    );
    const upgrade = await serve(request("/echo"), { path: "/echo", onRequest });
    assert.ok(upgrade.ws, "upgrades on the route never reach the handler");
    upgrade.ws.close(false);
    const broken = await serve("GET /x HTTP/1.1\r\nHost: x\r\n\r\n", {
      onRequest: () => {
        throw new Error("boom");
      },
      path: "/echo",
    });
    assert.equal(status(broken.text), 500);
    assert.ok(broken.error instanceof WebSocketHandshakeError && broken.error.status === 500);
    const badHeader = await serve("GET /x HTTP/1.1\r\nHost: x\r\n\r\n", {
      onRequest: () => ({ status: 200, headers: { "X": "a\r\nInjected: 1" } }),
      path: "/echo",
    });
    assert.equal(status(badHeader.text), 500);
    assert.doesNotMatch(badHeader.text, /Injected/);
  },
);

test(
  "a handshake that does not finish in handshakeTimeoutMs fails with TimeoutError and destroys the connection",
  T,
  async () => {
    const { error, mem } = await serve("GET /echo HTTP/1.1\r\n", { handshakeTimeoutMs: 30 });
    assert.ok(error instanceof TimeoutError);
    assert.equal(mem.state, "destroyed");
  },
);

test(
  "a connection that ends during the handshake rejects with WebSocketHandshakeError without a status",
  T,
  async () => {
    const mem = new MemoryConnection();
    const p = acceptWebSocket(mem).catch((e: Error) => e);
    mem.feed("474554");
    mem.end();
    const error = await p;
    assert.ok(error instanceof WebSocketHandshakeError && error.status === undefined);
  },
);

/** connectWebSocket on a memory connection answered with `respond(key)`. */
async function dial(respond: (accept: string) => string | Uint8Array, options = {}) {
  const mem = new MemoryConnection();
  const p = connectWebSocket(mem, { host: "127.0.0.1:1", path: "/echo", ...options }).then(
    (ws) => ({ ws, error: undefined }),
    (error: Error) => ({ ws: undefined, error }),
  );
  const req = td.decode(mem.writes[0]);
  const key = /Sec-WebSocket-Key: (\S+)\r\n/.exec(req)![1];
  const answer = respond(await acceptKey(key));
  mem.feed(typeof answer === "string" ? te.encode(answer) : answer);
  return { ...(await within(p, 5000, "client handshake")), mem, req };
}
const ok101 = (accept: string, extra = "") =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extra}\r\n`;

test(
  "the client sends a Go-like upgrade request and takes a valid 101 with frames right behind it",
  T,
  async () => {
    const { ws, req, mem } = await dial((a) => concat(te.encode(ok101(a)), hex("820268ff")));
    assert.match(
      req,
      /^GET \/echo HTTP\/1\.1\r\nHost: 127\.0\.0\.1:1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: [A-Za-z0-9+/]{22}==\r\nSec-WebSocket-Version: 13\r\n\r\n$/,
    );
    assert.ok(ws);
    assert.equal(ws.responseHeaders?.["sec-websocket-accept"]?.length, 28);
    const rec = new WsRecorder();
    ws.setHandler(rec);
    await rec.count(1);
    assert.equal(toHex(rec.messages[0]), "68ff");
    ws.write(te.encode("x"));
    assert.ok(decodeFrames(mem.writes[1])[0].masked);
    ws.close(false);
  },
);

const badAnswers: [string, (a: string) => string, number | undefined][] = [
  ["a 400 answer", () => "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 400],
  ["a wrong accept key", () => ok101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), 101],
  ["a missing Upgrade header", (a) => ok101(a).replace("Upgrade: websocket\r\n", ""), 101],
  [
    "an extension nobody offered",
    (a) => ok101(a, "Sec-WebSocket-Extensions: permessage-deflate\r\n"),
    101,
  ],
  ["a subprotocol nobody asked for", (a) => ok101(a, "Sec-WebSocket-Protocol: chat\r\n"), 101],
  ["a malformed status line", () => "HTTP/1.1 abc\r\n\r\n", undefined],
];
for (const [name, respond, want] of badAnswers) {
  test(
    `the client rejects ${name} with WebSocketHandshakeError and destroys the connection`,
    T,
    async () => {
      const { error, mem } = await dial(respond);
      assert.ok(error instanceof WebSocketHandshakeError, String(error));
      assert.equal(error.status, want);
      assert.equal(mem.state, "destroyed");
    },
  );
}

test("the client refuses a bad path or host with TypeError before writing", async () => {
  const mem = new MemoryConnection();
  await assert.rejects(connectWebSocket(mem, { host: "h", path: "no-slash" }), TypeError);
  await assert.rejects(
    connectWebSocket(new MemoryConnection(), { host: "a b", path: "/" }),
    TypeError,
  );
  assert.equal(mem.writes.length, 0);
});

// ---- over real loopback sockets -------------------------------------------

async function wsServer(options: AcceptWebSocketOptions, onWs: (ws: WSConnection) => void) {
  const transport = await loadTransport();
  const failures: Error[] = [];
  const all: WSConnection[] = [];
  const listener = await transport.listen({
    host: "127.0.0.1",
    port: 0,
    onConnection: (conn) => {
      acceptWebSocket(conn, options).then((ws) => {
        if (!ws) return;
        all.push(ws);
        onWs(ws);
      }, (e: Error) => failures.push(e));
    },
  });
  /** Stop listening and destroy every session (so a failed test leaves no socket open). */
  const stop = async () => {
    await listener.close();
    for (const ws of all) ws.close(false);
  };
  return { transport, stop, failures, port: listener.address.port };
}

test("loopback: raw bytes in, gorilla's bytes out: 101, pong, echo, close echo", T, async () => {
  const srv = await wsServer({ path: "/echo" }, (ws) => {
    ws.setHandler({ onData: (m) => ws.write(m), onDrain() {}, onClose() {} });
  });
  const raw = await RawClient.connect(srv.port);
  try {
    raw.write(te.encode(request()));
    const head = gws.handshake.responseText.length;
    await raw.waitBytes(head);
    assert.equal(td.decode(raw.received.subarray(0, head)), gws.handshake.responseText);
    raw.write(
      concat(
        hex("898237fa213d5f93"),
        hex(gws.clientFrames[0].frameHex),
        clientFrame(0x8, closeBody(1000, "bye")),
      ),
    );
    await raw.closed;
    assert.equal(
      toHex(raw.received.subarray(head)),
      `8a026869820d${gws.clientFrames[0].payloadHex}880203e8`,
    );
  } finally {
    await raw.close();
    await srv.stop();
  }
});

test("loopback: a protocol violation is answered with close 1002 and TCP FIN", T, async () => {
  let closed!: (e: Error | undefined) => void;
  const done = new Promise<Error | undefined>((r) => (closed = r));
  const srv = await wsServer(
    {},
    (ws) => ws.setHandler({ onData() {}, onDrain() {}, onClose: closed }),
  );
  const raw = await RawClient.connect(srv.port);
  try {
    raw.write(te.encode(request("/any/path")));
    await raw.waitBytes(gws.handshake.responseText.length);
    raw.write(hex("838037fa213d"));
    await raw.closed;
    const [f] = decodeFrames(raw.received.subarray(gws.handshake.responseText.length));
    assert.equal(toHex(f.payload.subarray(0, 2)), "03ea");
    assert.equal(((await within(done, 5000, "server close")) as { code?: number }).code, 1002);
  } finally {
    await raw.close();
    await srv.stop();
  }
});

test(
  "loopback: our client and our server exchange messages of every length class and close cleanly",
  T,
  async () => {
    let serverClosed!: (e: Error | undefined) => void;
    const serverDone = new Promise<Error | undefined>((r) => (serverClosed = r));
    const srv = await wsServer({ path: "/echo" }, (ws) => {
      ws.setHandler({ onData: (m) => ws.write(m), onDrain() {}, onClose: serverClosed });
    });
    try {
      const conn = await srv.transport.connect({ host: "127.0.0.1", port: srv.port });
      const ws = await connectWebSocket(conn, { host: `127.0.0.1:${srv.port}`, path: "/echo?x=1" });
      const rec = new WsRecorder();
      ws.setHandler(rec);
      const sizes = [0, 1, 125, 126, 65535, 65536, 200_000];
      const sent = sizes.map((n) => new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff));
      for (const m of sent) ws.write(m);
      await within(rec.count(sizes.length), 5000, "echoes");
      rec.messages.forEach((m, i) => assert.deepEqual(m, sent[i], `size ${sizes[i]}`));
      ws.close();
      assert.equal(await within(rec.closed, 5000, "client close"), undefined);
      assert.equal(await within(serverDone, 5000, "server close"), undefined);
      assert.equal(ws.closeCodeReceived, 1000);
    } finally {
      await srv.stop();
    }
  },
);

test(
  "loopback: a wrong path is answered 404 and our client rejects with status 404",
  T,
  async () => {
    const srv = await wsServer({ path: "/echo" }, () => {});
    try {
      const conn = await srv.transport.connect({ host: "127.0.0.1", port: srv.port });
      await assert.rejects(
        connectWebSocket(conn, { host: "127.0.0.1", path: "/nope" }),
        (e: unknown) => e instanceof WebSocketHandshakeError && e.status === 404,
      );
      assert.equal(srv.failures.length, 1);
    } finally {
      await srv.stop();
    }
  },
);
