// gorillaws peers against other WebSocket implementations over real
// sockets: our Connector against a `ws` package server, the runtime's global
// WebSocket (Deno, Bun; Node 22+) against our Acceptor, and our browser
// transport (a client on the global WebSocket) against our Acceptor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { type WebSocket as WsSocket, WebSocketServer } from "ws";
import {
  bindProcessorHandler,
  CloseReason,
  ConnectError,
  gorillaws,
  ProtocolError,
  registerTransport,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  WebSocketCloseError,
  WebSocketProtocolError,
} from "../mod.ts";
import { browserWebSocketTransport } from "../src/transport/ws/browser.ts";
import { bigMessage, echoAcceptor, payloadOf, TestEchoACK, WsBig } from "./_gorillaws.ts";
import { EventLog, T, within } from "./_helpers.ts";

/** A `ws` package server that echoes binary messages; its sockets in `sockets`. */
async function wsServer() {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await within(new Promise<void>((r) => server.once("listening", () => r())), 5000, "listening");
  const sockets: WsSocket[] = [];
  const closes: Promise<{ code: number; reason: string }>[] = [];
  server.on("connection", (socket) => {
    sockets.push(socket);
    closes.push(
      new Promise((r) =>
        socket.on("close", (code: number, reason: Buffer) => r({ code, reason: String(reason) }))
      ),
    );
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on("error", () => {});
  });
  const port = (server.address() as { port: number }).port;
  const stop = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.terminate();
      server.close(() => r());
    });
  return { port, sockets, closes, stop };
}

/** A started gorillaws.SyncConnector to `address`, events in a log. */
async function connector(address: string, transport?: string) {
  const client = new gorillaws.SyncConnector({ address, transport });
  const log = new EventLog();
  bindProcessorHandler(client, "gorillaws.ltv", log.handler);
  await client.start();
  await log.nextOf(SessionConnected);
  return { client, log };
}

test(
  "gorillaws.Connector -> ws package server: messages echo, bodies over 65533 bytes too",
  T,
  async () => {
    const srv = await wsServer();
    const { client, log } = await connector(`ws://127.0.0.1:${srv.port}/any`);
    try {
      client.session.send(new TestEchoACK({ Msg: "hello", Value: 7 }));
      const small = await log.nextOf(TestEchoACK);
      assert.deepEqual([small.message.Msg, small.message.Value], ["hello", 7]);
      const big = bigMessage(65535, 60_000);
      assert.ok(payloadOf(big).length > 65535);
      client.session.send(big);
      const back = await log.nextOf(WsBig);
      assert.deepEqual(back.message.A, big.A);
      assert.deepEqual(back.message.B, big.B);
    } finally {
      await client.stop();
      await srv.stop();
    }
  },
);

test(
  "a ws package server's close: 1000 gives IO without error, 4001 IO with WebSocketCloseError",
  T,
  async () => {
    const srv = await wsServer();
    try {
      const a = await connector(`ws://127.0.0.1:${srv.port}/`);
      srv.sockets[0].close(1000, "done");
      const clean = await a.log.nextOf(SessionClosed);
      assert.equal(clean.message.reason, CloseReason.IO);
      assert.equal(clean.message.error, undefined);
      await a.client.stop();

      const b = await connector(`ws://127.0.0.1:${srv.port}/`);
      srv.sockets[1].close(4001, "kicked");
      const failed = await b.log.nextOf(SessionClosed);
      assert.equal(failed.message.reason, CloseReason.IO);
      assert.ok(failed.message.error instanceof WebSocketCloseError, String(failed.message.error));
      assert.equal(failed.message.error.code, 4001);
      assert.equal(failed.message.error.reason, "kicked");
      await b.client.stop();
    } finally {
      await srv.stop();
    }
  },
);

test(
  "gorillaws ⇄ gorillaws: bodies over 65533 bytes both ways, close() gives Manual here and IO there",
  T,
  async () => {
    const { acceptor, log: serverLog, url } = await echoAcceptor();
    const { client, log } = await connector(url);
    try {
      const big = bigMessage(65535, 65535);
      client.session.send(big);
      const back = await log.nextOf(WsBig);
      assert.deepEqual(back.message.A, big.A);
      assert.deepEqual(back.message.B, big.B);
      client.session.close();
      assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.Manual);
      const there = await serverLog.nextOf(SessionClosed);
      assert.equal(there.message.reason, CloseReason.IO);
      assert.equal(there.message.error, undefined);
    } finally {
      await client.stop();
      await acceptor.stop();
    }
  },
);

// ---- the runtime's global WebSocket ----------------------------------------

interface GlobalSocket {
  binaryType: string;
  send(data: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: string,
    fn: (ev: { data?: unknown; code?: number; reason?: string }) => void,
  ): void;
}
const GlobalWebSocket = (globalThis as { WebSocket?: new (url: string) => GlobalSocket }).WebSocket;
const needsGlobal = {
  ...T,
  skip: GlobalWebSocket === undefined ? "no global WebSocket in this runtime" : false,
};

/** A global WebSocket, opened; its messages and its close as promises. */
async function globalClient(url: string) {
  const socket = new GlobalWebSocket!(url);
  socket.binaryType = "arraybuffer";
  const messages: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  socket.addEventListener("message", (ev) => {
    messages.push(new Uint8Array(ev.data as ArrayBuffer));
    wake?.();
  });
  const closed = new Promise<{ code?: number; reason?: string }>((r) =>
    socket.addEventListener("close", r)
  );
  await within(
    new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve());
      socket.addEventListener("error", () => reject(new Error("global WebSocket failed to open")));
    }),
    5000,
    "open",
  );
  const count = (n: number) =>
    within(
      new Promise<void>((r) => (wake = () => messages.length >= n && r(), wake())),
      5000,
      `${n} messages`,
    );
  return { socket, messages, count, closed: () => within(closed, 5000, "close event") };
}

test(
  "the global WebSocket -> gorillaws.Acceptor: echo, then close() is 1000 and stop() is 1001",
  needsGlobal,
  async () => {
    const { acceptor, log, url } = await echoAcceptor();
    try {
      const a = await globalClient(url);
      const sent = [
        payloadOf(new TestEchoACK({ Msg: "browser", Value: 3 })),
        payloadOf(bigMessage(65535, 1000)),
      ];
      for (const p of sent) a.socket.send(p);
      await a.count(2);
      assert.deepEqual(a.messages, sent);
      const first = await log.nextOf(SessionAccepted);
      first.session.close();
      assert.equal((await a.closed()).code, 1000);

      const b = await globalClient(url);
      await log.nextOf(SessionAccepted);
      await within(acceptor.stop(), 5000, "stop");
      assert.equal((await b.closed()).code, 1001);
    } finally {
      await acceptor.stop();
    }
  },
);

test("the global WebSocket sending text is closed with 1003", needsGlobal, async () => {
  const { acceptor, log, url } = await echoAcceptor();
  try {
    const c = await globalClient(url);
    c.socket.send("hello");
    assert.equal((await c.closed()).code, 1003);
    assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.ProtocolError);
  } finally {
    await acceptor.stop();
  }
});

// ---- our browser transport, on the global WebSocket ------------------------

registerTransport("ws", "globalws-test", () => Promise.resolve(browserWebSocketTransport));

test(
  "the browser ws transport -> gorillaws.Acceptor: echo, big bodies, close reasons both ends",
  needsGlobal,
  async () => {
    const { acceptor, log: serverLog, url } = await echoAcceptor();
    const { client, log } = await connector(url, "globalws-test");
    try {
      assert.equal(client.session.raw?.messageOriented, true);
      client.session.send(new TestEchoACK({ Msg: "page", Value: 9 }));
      assert.equal((await log.nextOf(TestEchoACK)).message.Msg, "page");
      const big = bigMessage(65535, 30_000);
      client.session.send(big);
      assert.deepEqual((await log.nextOf(WsBig)).message.B, big.B);
      client.session.close();
      assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.Manual);
      const there = await serverLog.nextOf(SessionClosed);
      assert.equal(there.message.reason, CloseReason.IO);
      assert.equal(there.message.error, undefined);
    } finally {
      await client.stop();
      await acceptor.stop();
    }
  },
);

test(
  "the browser ws transport: the acceptor's stop() is a clean IO close",
  needsGlobal,
  async () => {
    const { acceptor, url } = await echoAcceptor();
    const { client, log } = await connector(url, "globalws-test");
    try {
      await within(acceptor.stop(), 5000, "stop");
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, CloseReason.IO);
      assert.equal(closed.message.error, undefined, "1001 is not an error");
    } finally {
      await client.stop();
    }
  },
);

test(
  "the browser ws transport: a text message closes with ProtocolError (1003), the server sees 4003",
  needsGlobal,
  async () => {
    const srv = await wsServer();
    const { client, log } = await connector(`ws://127.0.0.1:${srv.port}/`, "globalws-test");
    try {
      srv.sockets[0].send("not binary");
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, CloseReason.ProtocolError);
      const error = closed.message.error;
      assert.ok(
        error instanceof WebSocketProtocolError && error instanceof ProtocolError,
        String(error),
      );
      assert.equal(error.code, 1003);
      assert.equal((await within(srv.closes[0], 5000, "server close")).code, 4003);
    } finally {
      await client.stop();
      await srv.stop();
    }
  },
);

test(
  "a wss:// address is refused with a clear ConnectError: the ws transport over TCP has no TLS",
  T,
  async () => {
    const client = new gorillaws.SyncConnector({ address: "wss://127.0.0.1:1/x" });
    bindProcessorHandler(client, "gorillaws.ltv", () => {});
    await assert.rejects(
      client.start(),
      (e: unknown) => e instanceof ConnectError && /no TLS/.test(e.message),
    );
  },
);
