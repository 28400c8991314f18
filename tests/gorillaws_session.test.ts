// TCP's session machinery applied unchanged to gorillaws over real sockets:
// the bounded send queue (SlowConsumer), reconnect, heartbeat, read timeout,
// and maxPacketSize mapped onto the WebSocket layer's message limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  DEFAULT_WS_MAX_PACKET_SIZE,
  gorillaws,
  loadTransport,
  type Session,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  SlowConsumerError,
  startHeartbeat,
  TimeoutError,
  WebSocketProtocolError,
} from "../mod.ts";
import {
  bigMessage,
  echoAcceptor,
  payloadOf,
  TestEchoACK,
  upgradeRequest,
  WsBig,
  WsPeer,
} from "./_gorillaws.ts";
import { concat, EventLog, T, within } from "./_helpers.ts";
import { counter, portOf, StuckClient } from "./_reliability.ts";

const LONG = { timeout: 30_000 };

test(
  "a ws client that never reads is closed as a SlowConsumer; a reading one gets everything",
  LONG,
  async () => {
    const HIGH = 256 * 1024;
    const { acceptor, log, url } = await echoAcceptor("/echo", { sendQueueHighWater: HIGH });
    const stuck = await StuckClient.connect(acceptor.port);
    stuck.socket.write(upgradeRequest("/echo"));
    const stuckSession: Session = (await log.next(
      (e) =>
        e.message instanceof SessionAccepted && portOf(e.session.remoteAddress) === stuck.localPort,
      "the stuck session",
    )).session;
    const good = await WsPeer.open(url);
    await log.nextOf(SessionAccepted);
    try {
      const message = bigMessage(32_000, 32_000);
      let sent = 0;
      // Rounds of broadcasts, each waiting for the reading client to have
      // them all, so only the stuck session accumulates.
      for (let r = 0; r < 2000 && stuckSession.isOpen; r++) {
        acceptor.broadcast(message);
        sent++;
        assert.ok(
          stuckSession.bufferedAmount <= HIGH,
          `stuck session holds ${stuckSession.bufferedAmount}`,
        );
        await good.count(sent, 10_000);
      }
      const closed = await log.next(
        (e) => e.message instanceof SessionClosed && e.session === stuckSession,
        "stuck close",
      );
      assert.equal((closed.message as SessionClosed).reason, CloseReason.SlowConsumer);
      assert.ok((closed.message as SessionClosed).error instanceof SlowConsumerError);
      assert.equal(good.messages.length, sent);
      assert.deepEqual(good.messages[sent - 1], payloadOf(message));
      assert.equal(acceptor.sessionCount(), 1, "the reading client stays");
    } finally {
      await stuck.close();
      await good.close();
      await acceptor.stop();
    }
  },
);

test(
  "a gorillaws.Connector with reconnect comes back after the acceptor restarts on the same port",
  T,
  async () => {
    const first = await echoAcceptor();
    const port = first.acceptor.port;
    const client = new gorillaws.Connector({
      address: `ws://127.0.0.1:${port}/echo`,
      reconnectIntervalMs: 50,
    });
    const log = new EventLog();
    bindProcessorHandler(client, "gorillaws.ltv", log.handler);
    let again: gorillaws.Acceptor | undefined;
    try {
      await client.start();
      await log.nextOf(SessionConnected);
      const firstId = client.session.id;
      await first.acceptor.stop();
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, CloseReason.IO);
      assert.equal(closed.message.error, undefined, "1001 going away is a clean close");
      // Sent while disconnected: kept and written after the reconnect.
      client.session.send(new TestEchoACK({ Msg: "while down", Value: 42 }));
      again = new gorillaws.Acceptor({ address: `http://127.0.0.1:${port}/echo` });
      bindProcessorHandler(again, "gorillaws.ltv", (ev) => {
        if (ev.message instanceof TestEchoACK) ev.reply(ev.message);
      });
      await again.start();
      await log.nextOf(SessionConnected, 10_000);
      assert.notEqual(client.session.id, firstId, "each connection takes a new id");
      assert.equal((await log.nextOf(TestEchoACK)).message.Value, 42);
    } finally {
      await client.stop();
      await again?.stop();
    }
  },
);

test(
  "a gorillaws connector's heartbeat outlives the acceptor's read timeout; a silent ws client is closed with Timeout",
  T,
  async () => {
    const READ_TIMEOUT = 300;
    const { acceptor, log, url } = await echoAcceptor("/echo", { readTimeoutMs: READ_TIMEOUT });
    let beatsSeen: { tick: () => void; done: Promise<void> } | undefined;
    const client = new gorillaws.Connector({ address: url });
    const clientLog = new EventLog();
    bindProcessorHandler(client, "gorillaws.ltv", (ev) => {
      clientLog.handler(ev);
      if (ev.message instanceof TestEchoACK) beatsSeen?.tick();
    });
    let seq = 0;
    const heartbeat = startHeartbeat(client, {
      intervalMs: 50,
      message: () => new TestEchoACK({ Msg: "beat", Value: seq++ }),
    });
    const silent = await WsPeer.open(url);
    try {
      await client.start();
      await clientLog.nextOf(SessionConnected);
      // The silent one is dropped once the read timeout passes...
      const { code } = await silent.closedWithin(5000);
      assert.equal(code, 1000);
      const dropped = await log.next(
        (e) =>
          e.message instanceof SessionClosed &&
          (e.message as SessionClosed).reason === CloseReason.Timeout,
        "the silent session's Timeout",
      );
      assert.ok((dropped.message as SessionClosed).error instanceof TimeoutError);
      // ...while the beating one lives through more than two read-timeout periods of beats.
      beatsSeen = counter(14, "14 echoed beats", 10_000);
      await beatsSeen.done;
      assert.ok(client.isConnected);
      assert.equal(clientLog.events.filter((e) => e.message instanceof SessionClosed).length, 0);
      assert.equal(acceptor.sessionCount(), 1);
    } finally {
      heartbeat.stop();
      await silent.close();
      await client.stop();
      await acceptor.stop();
    }
  },
);

test(
  "maxPacketSize bounds the whole message (id + body): at the limit 1009 and ProtocolError, below it echoed",
  T,
  async () => {
    const MAX = 1000;
    const { acceptor, log, url } = await echoAcceptor("/echo", { maxPacketSize: MAX });
    try {
      const fits = new TestEchoACK({ Msg: "x".repeat(MAX - 9), Value: 1 });
      assert.equal(payloadOf(fits).length, MAX - 1);
      const a = await WsPeer.open(url);
      a.socket.send(payloadOf(fits));
      assert.deepEqual((await a.count(1))[0], payloadOf(fits));
      const over = new TestEchoACK({ Msg: "x".repeat(MAX - 8), Value: 1 });
      assert.equal(payloadOf(over).length, MAX);
      a.socket.send(payloadOf(over));
      assert.equal((await a.closedWithin()).code, 1009);
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, CloseReason.ProtocolError);
      const error = closed.message.error;
      assert.ok(error instanceof WebSocketProtocolError, String(error));
      assert.equal(error.code, 1009);
    } finally {
      await acceptor.stop();
    }
  },
);

test(
  "without maxPacketSize a ws session takes messages up to 1 MiB and refuses a larger one with 1009",
  T,
  async () => {
    const { acceptor, log, url } = await echoAcceptor();
    try {
      const client = await WsPeer.open(url);
      const max = bigMessage(65535, 65535); // well over 65533, well under 1 MiB
      client.socket.send(payloadOf(max));
      assert.deepEqual((await client.count(1))[0], payloadOf(max));
      const tooBig = new Uint8Array(DEFAULT_WS_MAX_PACKET_SIZE + 1);
      tooBig.set(payloadOf(max));
      client.socket.send(tooBig);
      assert.equal((await client.closedWithin()).code, 1009);
      assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.ProtocolError);
      assert.ok(log.events.some((e) => e.message instanceof WsBig));
    } finally {
      await acceptor.stop();
    }
  },
);

test(
  "webSocket.maxPacketSize and the peer's maxPacketSize together: the smaller wins",
  T,
  async () => {
    const { acceptor, url } = await echoAcceptor("/echo", {
      maxPacketSize: 100_000,
      webSocket: { maxPacketSize: 500 },
    });
    try {
      const client = await WsPeer.open(url);
      client.socket.send(new Uint8Array(501));
      assert.equal((await within(client.closed, 5000, "close")).code, 1009);
    } finally {
      await acceptor.stop();
    }
  },
);

test(
  "frameTimeoutMs cuts off a client that leaves a frame part way (1008, SessionClosed Timeout); whole messages keep it",
  T,
  async () => {
    const { acceptor, log } = await echoAcceptor("/echo", { frameTimeoutMs: 200 });
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
      conn.write(new TextEncoder().encode(upgradeRequest("/echo")));
      await log.nextOf(SessionAccepted);
      // A whole message, then only the first 3 bytes of the next frame.
      const frame = maskedFrame(payloadOf(new TestEchoACK({ Msg: "whole", Value: 1 })));
      conn.write(frame);
      await log.nextOf(TestEchoACK);
      conn.write(frame.subarray(0, 3));
      const ev = await log.nextOf(SessionClosed);
      assert.equal(ev.message.reason, CloseReason.Timeout);
      assert.ok(ev.message.error instanceof TimeoutError, String(ev.message.error));
      assert.match(ev.message.error.message, /frameTimeoutMs 200/);
      await within(closed, 5000, "the server to end the connection");
      const bytes = concat(...got);
      const close = bytes.lastIndexOf(0x88);
      assert.ok(close > 0, "a close frame was sent");
      assert.equal((bytes[close + 2] << 8) | bytes[close + 3], 1008);
    } finally {
      conn.close(false);
      await acceptor.stop();
    }
  },
);

/** A client frame (FIN, binary) with the mask key 37fa213d. */
function maskedFrame(payload: Uint8Array): Uint8Array {
  const key = [0x37, 0xfa, 0x21, 0x3d];
  const n = payload.length;
  const head = n < 126 ? [0x82, 0x80 | n] : [0x82, 0x80 | 126, n >> 8, n & 0xff];
  const out = new Uint8Array(head.length + 4 + n);
  out.set(head);
  out.set(key, head.length);
  for (let i = 0; i < n; i++) out[head.length + 4 + i] = payload[i] ^ key[i & 3];
  return out;
}
