/**
 * Interop over real loopback sockets with other WebSocket implementations:
 * the `ws` npm package as client of our server and as server of our client
 * (under Bun, `ws` is Bun's own implementation), and under Deno and Bun
 * their global `WebSocket` as client of our server. Messages of every
 * length class, pings and pongs, fragmented sends, close codes both ways.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type RawData, WebSocket as WsClient, WebSocketServer } from "ws";
import { WebSocketCloseError, WebSocketProtocolError } from "../src/errors.ts";
import { loadTransport } from "../src/transport/auto.ts";
import type { Listener } from "../src/transport/transport.ts";
import { connectWebSocket } from "../src/transport/ws/connect.ts";
import { acceptWebSocket, type AcceptWebSocketOptions } from "../src/transport/ws/upgrade.ts";
import type { WSConnection } from "../src/transport/ws/ws_connection.ts";
import { WsRecorder } from "./_ws.ts";
import { within } from "./_within.ts";

const T = { timeout: 20_000 };
const SIZES = [0, 1, 125, 126, 65535, 65536, 200_000];
const payload = (n: number) => new Uint8Array(n).map((_, i) => (i * 13 + n) & 0xff);
const bytesOf = (d: RawData | ArrayBuffer): Uint8Array => {
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  if (Array.isArray(d)) return new Uint8Array(Buffer.concat(d));
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};

/** Our server on 127.0.0.1:0 (route /echo); each WSConnection echoes and is queued for `next()`. */
async function ourServer(options: AcceptWebSocketOptions = {}) {
  const transport = await loadTransport();
  const ready: { ws: WSConnection; rec: WsRecorder }[] = [];
  const all: WSConnection[] = [];
  const waiting: ((s: { ws: WSConnection; rec: WsRecorder }) => void)[] = [];
  const listener: Listener = await transport.listen({
    host: "127.0.0.1",
    port: 0,
    onConnection: (conn) => {
      acceptWebSocket(conn, { path: "/echo", ...options }).then((ws) => {
        if (!ws) return;
        all.push(ws);
        const rec = new WsRecorder();
        rec.onMessage = (m) => ws.write(m);
        ws.setHandler(rec);
        const w = waiting.shift();
        if (w) w({ ws, rec });
        else ready.push({ ws, rec });
      }, () => {});
    },
  });
  /** The next accepted session, in accept order. */
  const next = () =>
    within(
      ready.length > 0
        ? Promise.resolve(ready.shift()!)
        : new Promise<{ ws: WSConnection; rec: WsRecorder }>((r) => waiting.push(r)),
      5000,
      "a server session",
    );
  /** Stop listening and destroy every session (so a failed test leaves no socket open). */
  const stop = async () => {
    await listener.close();
    for (const ws of all) ws.close(false);
  };
  return { stop, next, url: `ws://127.0.0.1:${listener.address.port}/echo` };
}

/** Messages and the close of a `ws` socket, as promises. */
function watch(socket: WsClient) {
  const messages: Uint8Array[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  socket.on("message", (d: RawData) => {
    messages.push(bytesOf(d).slice());
    for (const w of waiters.splice(0)) {
      if (messages.length >= w.n) w.resolve();
      else waiters.push(w);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on(
      "close",
      (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }),
    )
  );
  socket.on("error", () => {});
  const count = (n: number) =>
    within(
      messages.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ n, resolve })),
      5000,
      `${n} messages`,
    );
  return { messages, closed, count };
}

const opened = (socket: WsClient) =>
  within(
    new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    }),
    5000,
    "ws open",
  );

test(
  "ws client -> our server: binary messages of 0..200000 bytes echo intact, ping gets its pong",
  T,
  async () => {
    const srv = await ourServer();
    try {
      const client = new WsClient(srv.url);
      const w = watch(client);
      await opened(client);
      const sent = SIZES.map(payload);
      for (const m of sent) client.send(m);
      await w.count(SIZES.length);
      w.messages.forEach((m, i) => assert.deepEqual(m, sent[i], `size ${SIZES[i]}`));
      const pong = new Promise<Uint8Array>((resolve) =>
        client.once("pong", (d: Buffer) => resolve(bytesOf(d)))
      );
      client.ping(Buffer.from("are you there"));
      assert.equal(new TextDecoder().decode(await within(pong, 5000, "pong")), "are you there");
      client.close(1000);
      assert.equal((await within(w.closed, 5000, "close")).code, 1000);
      const { rec, ws } = await srv.next();
      assert.equal(await within(rec.closed, 5000, "server close"), undefined);
      assert.equal(ws.closeCodeReceived, 1000);
    } finally {
      await srv.stop();
    }
  },
);

test("ws client -> our server: a fragmented send is reassembled into one message", T, async () => {
  const srv = await ourServer();
  try {
    const client = new WsClient(srv.url);
    const w = watch(client);
    await opened(client);
    client.send(payload(5000), { fin: false, binary: true });
    client.send(payload(3), { fin: false, binary: true });
    client.send(payload(70_000), { fin: true, binary: true });
    await w.count(1);
    const { rec } = await srv.next();
    assert.equal(rec.messages.length, 1);
    assert.equal(rec.messages[0].length, 75_003);
    assert.deepEqual(rec.messages[0].subarray(5003), payload(70_000));
    client.terminate();
  } finally {
    await srv.stop();
  }
});

test(
  "ws client -> our server: close codes both ways; text is refused with 1003; oversize with 1009",
  T,
  async () => {
    const srv = await ourServer({ maxPacketSize: 100_000 });
    try {
      // The client closes with 4000: echoed, and our side reports it.
      const a = new WsClient(srv.url);
      const wa = watch(a);
      await opened(a);
      a.close(4000, "bye");
      assert.equal((await wa.closed).code, 4000);
      const { rec } = await srv.next();
      const err = await within(rec.closed, 5000, "server close");
      assert.ok(
        err instanceof WebSocketCloseError && err.code === 4000 && err.reason === "bye",
        String(err),
      );
      // The server closes with 1001, as on stop.
      const b = new WsClient(srv.url);
      const wb = watch(b);
      await opened(b);
      (await srv.next()).ws.closeWith(1001, "server stopping");
      assert.deepEqual(await within(wb.closed, 5000, "client close"), {
        code: 1001,
        reason: "server stopping",
      });
      // Text: refused.
      const c = new WsClient(srv.url);
      const wc = watch(c);
      await opened(c);
      c.send("hello");
      assert.equal((await within(wc.closed, 5000, "text close")).code, 1003);
      // Over maxPacketSize.
      const d = new WsClient(srv.url);
      const wd = watch(d);
      await opened(d);
      d.send(new Uint8Array(100_001));
      assert.equal((await within(wd.closed, 5000, "size close")).code, 1009);
    } finally {
      await srv.stop();
    }
  },
);

/** A `ws` server on 127.0.0.1:0 that echoes; `onSocket` may replace that. */
async function wsServer(onSocket?: (socket: WsClient) => void) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await within(new Promise<void>((r) => wss.once("listening", () => r())), 5000, "ws server");
  const closes: Promise<{ code: number; reason: string }>[] = [];
  wss.on("connection", (socket: WsClient) => {
    socket.on("error", () => {});
    closes.push(
      new Promise((resolve) =>
        socket.on(
          "close",
          (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }),
        )
      ),
    );
    if (onSocket) onSocket(socket);
    else {socket.on("message", (d: RawData, isBinary: boolean) =>
        socket.send(d, { binary: isBinary }));}
  });
  const port = (wss.address() as { port: number }).port;
  const stop = () =>
    new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    });
  return { wss, port, closes, stop };
}

async function ourClient(port: number, path = "/", options = {}) {
  const transport = await loadTransport();
  const conn = await transport.connect({ host: "127.0.0.1", port });
  const ws = await connectWebSocket(conn, { host: `127.0.0.1:${port}`, path, ...options });
  const rec = new WsRecorder();
  ws.setHandler(rec);
  return { ws, rec };
}

test(
  "our client -> ws server: binary messages of 0..200000 bytes echo intact, our ping gets its pong",
  T,
  async () => {
    const srv = await wsServer();
    const pongs: string[] = [];
    const { ws, rec } = await ourClient(srv.port, "/any", {
      onPong: (p: Uint8Array) => pongs.push(new TextDecoder().decode(p)),
    });
    try {
      const sent = SIZES.map(payload);
      for (const m of sent) ws.write(m);
      await within(rec.count(SIZES.length), 5000, "echoes");
      rec.messages.forEach((m, i) => assert.deepEqual(m, sent[i], `size ${SIZES[i]}`));
      ws.ping(new TextEncoder().encode("hb"));
      ws.write(new Uint8Array([1]));
      await within(rec.count(SIZES.length + 1), 5000, "echo after ping");
      assert.deepEqual(pongs, ["hb"]);
      ws.close();
      assert.equal(await within(rec.closed, 5000, "close"), undefined);
      assert.equal((await within(srv.closes[0], 5000, "ws server close")).code, 1000);
      assert.equal(ws.closeCodeReceived, 1000);
    } finally {
      await srv.stop();
    }
  },
);

test(
  "our client -> ws server: fragmented and pinged server sends are reassembled, pings answered",
  T,
  async () => {
    const srv = await wsServer((socket) => {
      socket.on("pong", (d: Buffer) => socket.send(Buffer.concat([Buffer.from("pong:"), d])));
      socket.ping(Buffer.from("p1"));
      socket.send(payload(4096), { fin: false, binary: true });
      socket.send(payload(10), { fin: false, binary: true });
      socket.send(payload(100_000), { fin: true, binary: true });
    });
    const { ws, rec } = await ourClient(srv.port);
    try {
      await within(rec.count(2), 5000, "messages");
      const [big, pong] = rec.messages[0].length > 100
        ? rec.messages
        : [rec.messages[1], rec.messages[0]];
      assert.equal(big.length, 104_106);
      assert.deepEqual(big.subarray(4106), payload(100_000));
      assert.equal(new TextDecoder().decode(pong), "pong:p1");
    } finally {
      ws.close(false);
      await srv.stop();
    }
  },
);

test("our client -> ws server: close codes both ways, and text refused with 1003", T, async () => {
  const srv = await wsServer((socket) => {
    socket.on("message", (d: RawData) => {
      const cmd = bytesOf(d)[0];
      if (cmd === 1) socket.close(4001, "kicked");
      if (cmd === 2) socket.send("some text");
    });
  });
  try {
    const a = await ourClient(srv.port);
    a.ws.write(new Uint8Array([1]));
    const err = await within(a.rec.closed, 5000, "kicked");
    assert.ok(
      err instanceof WebSocketCloseError && err.code === 4001 && err.reason === "kicked",
      String(err),
    );
    const b = await ourClient(srv.port);
    b.ws.write(new Uint8Array([2]));
    const refused = await within(b.rec.closed, 5000, "text refused");
    assert.ok(refused instanceof WebSocketProtocolError && refused.code === 1003, String(refused));
    assert.equal((await within(srv.closes[1], 5000, "ws side")).code, 1003);
    const c = await ourClient(srv.port);
    c.ws.closeWith(4002, "done");
    await within(c.rec.closed, 5000, "own close");
    assert.deepEqual(await within(srv.closes[2], 5000, "ws side"), { code: 4002, reason: "done" });
  } finally {
    await srv.stop();
  }
});

// ---- the runtime's own WebSocket (Deno, Bun; Node 22+) ---------------------

interface BrowserLikeSocket {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: string,
    fn: (ev: { data?: unknown; code?: number; reason?: string; wasClean?: boolean }) => void,
  ): void;
}
const GlobalWebSocket =
  (globalThis as { WebSocket?: new (url: string) => BrowserLikeSocket }).WebSocket;

test("the runtime's global WebSocket -> our server: messages echo intact and a close is clean", {
  ...T,
  skip: GlobalWebSocket === undefined ? "no global WebSocket in this runtime" : false,
}, async () => {
  const srv = await ourServer();
  try {
    const socket = new GlobalWebSocket!(srv.url);
    socket.binaryType = "arraybuffer";
    const got: Uint8Array[] = [];
    let wake: (() => void) | undefined;
    socket.addEventListener("message", (ev) => {
      got.push(new Uint8Array(ev.data as ArrayBuffer));
      wake?.();
    });
    const closed = new Promise<{ code?: number; reason?: string; wasClean?: boolean }>((r) =>
      socket.addEventListener("close", r)
    );
    await within(
      new Promise<void>((r, j) => {
        socket.addEventListener("open", () => r());
        socket.addEventListener("error", () => j(new Error("global WebSocket failed to open")));
      }),
      5000,
      "open",
    );
    const sent = SIZES.map(payload);
    for (const m of sent) socket.send(m);
    await within(
      new Promise<void>((r) => {
        wake = () => got.length >= sent.length && r();
        wake();
      }),
      5000,
      "echoes",
    );
    got.forEach((m, i) => assert.deepEqual(m, sent[i], `size ${SIZES[i]}`));
    socket.close(1000, "done");
    const ev = await within(closed, 5000, "close event");
    assert.equal(ev.code, 1000);
    assert.equal(ev.wasClean, true);
    const { ws, rec } = await srv.next();
    await within(rec.closed, 5000, "server close");
    assert.equal(ws.closeReasonReceived, "done");
  } finally {
    await srv.stop();
  }
});
