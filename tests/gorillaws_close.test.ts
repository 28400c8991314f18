// How gorillaws sessions close, seen from both ends over real sockets: the
// close code a `ws` client receives, and the SessionClosed reason and error
// the handler gets (where cellnet is wrong, we are right: see docs/websocket.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { WebSocketServer } from "ws";
import {
  bindProcessorHandler,
  CloseReason,
  encodeMessage,
  gorillaws,
  loadTransport,
  ProtocolError,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  WebSocketCloseError,
  WebSocketProtocolError,
} from "../mod.ts";
import { echoAcceptor, payloadOf, TestEchoACK, wsPayload, WsPeer } from "./_gorillaws.ts";
import { concat, EventLog, T, within } from "./_helpers.ts";

const echo = new TestEchoACK({ Msg: "hi", Value: 1 });

test("a text message closes the session with 1003 and SessionClosed ProtocolError", T, async () => {
  const { acceptor, log, url } = await echoAcceptor();
  const client = await WsPeer.open(url);
  try {
    client.socket.send("{}");
    assert.equal((await client.closedWithin()).code, 1003);
    const closed = await log.nextOf(SessionClosed);
    assert.equal(closed.message.reason, CloseReason.ProtocolError);
    const error = closed.message.error;
    assert.ok(error instanceof WebSocketProtocolError, String(error));
    assert.equal(error.code, 1003);
    assert.match(error.message, /text/);
  } finally {
    await client.close();
    await acceptor.stop();
  }
});

test("session.close() on the acceptor sends close 1000 after the queued replies", T, async () => {
  const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/echo" });
  const log = new EventLog();
  bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
    log.handler(ev);
    if (ev.message instanceof TestEchoACK) {
      ev.reply(ev.message);
      ev.session.close();
    }
  });
  await acceptor.start();
  const client = await WsPeer.open(`ws://127.0.0.1:${acceptor.port}/echo`);
  try {
    client.socket.send(payloadOf(echo));
    const { code } = await client.closedWithin();
    assert.equal(code, 1000);
    assert.deepEqual(client.messages, [payloadOf(echo)]);
    const closed = await log.nextOf(SessionClosed);
    assert.equal(closed.message.reason, CloseReason.Manual);
    assert.equal(closed.message.error, undefined);
  } finally {
    await client.close();
    await acceptor.stop();
  }
});

test("acceptor.stop() closes every session with 1001 and the listener", T, async () => {
  const { acceptor, log, url } = await echoAcceptor();
  const a = await WsPeer.open(url);
  const b = await WsPeer.open(url);
  try {
    await log.nextOf(SessionAccepted);
    await log.nextOf(SessionAccepted);
    await within(acceptor.stop(), 5000, "stop");
    assert.equal((await a.closedWithin()).code, 1001);
    assert.equal((await b.closedWithin()).code, 1001);
    const reasons = log.events.filter((e) => e.message instanceof SessionClosed)
      .map((e) => (e.message as SessionClosed).reason);
    assert.deepEqual(reasons, [CloseReason.Manual, CloseReason.Manual]);
    await assert.rejects(WsPeer.open(url), "nothing listens after stop()");
  } finally {
    await a.close();
    await b.close();
    await acceptor.stop();
  }
});

test("connector.stop() says going away (1001) to a ws package server", T, async () => {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await within(new Promise<void>((r) => server.once("listening", () => r())), 5000, "listening");
  const port = (server.address() as { port: number }).port;
  const seen = new Promise<number>((resolve) =>
    server.on("connection", (socket) => socket.on("close", (code: number) => resolve(code)))
  );
  const client = new gorillaws.Connector({ address: `ws://127.0.0.1:${port}/x` });
  const log = new EventLog();
  bindProcessorHandler(client, "gorillaws.ltv", log.handler);
  try {
    await client.start();
    await log.nextOf(SessionConnected);
    await within(client.stop(), 5000, "stop");
    assert.equal(await within(seen, 5000, "server close"), 1001);
    assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.Manual);
  } finally {
    await client.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test(
  "a remote close 1000 is IO without error; a remote 4000 is IO with a WebSocketCloseError",
  T,
  async () => {
    const { acceptor, log, url } = await echoAcceptor();
    try {
      const a = await WsPeer.open(url);
      a.socket.close(1000, "bye");
      await a.closedWithin();
      const clean = await log.nextOf(SessionClosed);
      assert.equal(clean.message.reason, CloseReason.IO);
      assert.equal(clean.message.error, undefined);

      const b = await WsPeer.open(url);
      b.socket.close(4000, "game over");
      assert.equal((await b.closedWithin()).code, 4000, "the code is echoed");
      const failed = await log.nextOf(SessionClosed);
      assert.equal(failed.message.reason, CloseReason.IO);
      const error = failed.message.error;
      assert.ok(error instanceof WebSocketCloseError, String(error));
      assert.equal(error.code, 4000);
      assert.equal(error.reason, "game over");
    } finally {
      await acceptor.stop();
    }
  },
);

test(
  "a message under 2 bytes, an unknown id or a bad body closes with 1007 and says why",
  T,
  async () => {
    const { acceptor, log, url } = await echoAcceptor();
    try {
      const cases: [Uint8Array, RegExp, RegExp][] = [
        [new Uint8Array([0x41]), /packet short size/, /ProtocolError/],
        [new Uint8Array(0), /packet short size/, /ProtocolError/],
        [wsPayload(0x1234, new Uint8Array(2)), /msg not exists, '4660'/, /UnknownMessageError/],
        // TestEchoACK whose string count runs past the end.
        [
          wsPayload(encodeMessage(echo).id, new Uint8Array([0xff, 0x00, 0x61])),
          /main\.TestEchoACK/,
          /DecodeError/,
        ],
      ];
      for (const [payload, why, name] of cases) {
        const client = await WsPeer.open(url);
        const accepted = await log.nextOf(SessionAccepted);
        client.socket.send(payload);
        const { code, reason } = await client.closedWithin();
        assert.equal(code, 1007, `close code for ${why}`);
        assert.match(reason, why, "the close reason carries the error");
        const closed = await log.nextOf(SessionClosed);
        assert.equal(closed.session, accepted.session, "from whom: the session that sent it");
        assert.equal(closed.message.reason, CloseReason.ProtocolError);
        assert.ok(closed.message.error instanceof ProtocolError);
        assert.match(closed.message.error.message, why);
        assert.match(closed.message.error.name, name);
      }
    } finally {
      await acceptor.stop();
    }
  },
);

test(
  "a WebSocket protocol violation (an unmasked client frame) closes with 1002 and SessionClosed ProtocolError",
  T,
  async () => {
    const { acceptor, log } = await echoAcceptor();
    const transport = await loadTransport();
    const conn = await transport.connect({ host: "127.0.0.1", port: acceptor.port });
    const got: Uint8Array[] = [];
    const closed = new Promise<void>((resolve) =>
      conn.setHandler({
        onData: (c) => void got.push(c.slice()),
        onDrain: () => {},
        onClose: () => resolve(),
      })
    );
    try {
      conn.write(new TextEncoder().encode(
        "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      ));
      await log.nextOf(SessionAccepted);
      conn.write(new Uint8Array([0x82, 0x02, 0x41, 0x12])); // binary, unmasked
      const ev = await log.nextOf(SessionClosed);
      assert.equal(ev.message.reason, CloseReason.ProtocolError);
      const error = ev.message.error;
      assert.ok(error instanceof WebSocketProtocolError, String(error));
      assert.equal(error.code, 1002);
      await within(closed, 5000, "the server to end the connection");
      const bytes = concat(...got);
      const text = new TextDecoder().decode(bytes);
      const at = bytes.indexOf(0x88, text.indexOf("\r\n\r\n") + 4);
      assert.ok(at > 0, "a close frame was sent");
      assert.equal((bytes[at + 2] << 8) | bytes[at + 3], 1002);
    } finally {
      conn.close(false);
      await acceptor.stop();
    }
  },
);

test(
  "the inbound rate limit closes a ws session with 1008 and SessionClosed Limit",
  T,
  async () => {
    const { acceptor, log, url } = await echoAcceptor("/echo", { maxMessagesPerSecond: 2 });
    const client = await WsPeer.open(url);
    try {
      for (let i = 0; i < 5; i++) client.socket.send(payloadOf(echo));
      const { code, reason } = await client.closedWithin();
      assert.equal(code, 1008);
      assert.match(reason, /more than 2 messages in one second/);
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, CloseReason.Limit);
    } finally {
      await client.close();
      await acceptor.stop();
    }
  },
);
