// Reliability guarantees under slow, dead and departing peers: bounded send
// queues with a stuck reader, write and connect timeouts, graceful stop, and
// the bound on the bytes held for one incomplete frame.
import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import {
  bindProcessorHandler,
  CloseReason,
  type CoreSession,
  type Event,
  LTVTransmitter,
  type MessageSink,
  PacketTooLargeError,
  type Session,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  SlowConsumerError,
  tcp,
  TimeoutError,
} from "../mod.ts";
import { EventLog, frame, within } from "./_helpers.ts";
import { Bulk, counter, deafListener, portOf, prng, StuckClient } from "./_reliability.ts";
import { Ping } from "./_messages.ts";

const LONG = { timeout: 60_000 };

/** An acceptor whose handler records events and answers each Ping with `reply(session)`. */
async function server(options: Partial<tcp.AcceptorOptions>, onEvent?: (ev: Event) => void) {
  const log = new EventLog();
  const acceptor = new tcp.Acceptor({ name: "rel", address: "127.0.0.1:0", ...options });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    log.handler(ev);
    onEvent?.(ev);
  });
  await acceptor.start();
  return { acceptor, log };
}

/** Wait for the server session whose remote port is `port`. */
async function sessionOf(log: EventLog, port: number): Promise<Session> {
  const ev = await log.next(
    (e) => e.message instanceof SessionAccepted && portOf(e.session.remoteAddress) === port,
    `the session of port ${port}`,
  );
  return ev.session;
}

test(
  "broadcast to 200 sessions with one stuck reader: only it closes (SlowConsumer), its buffer stays bounded, the others get every message",
  LONG,
  async () => {
    const HIGH = 512 * 1024;
    const GOOD = 199;
    const PER_ROUND = 8;
    const payload = new Uint8Array(16 * 1024).fill(7);
    const { acceptor, log } = await server({ sendQueueHighWater: HIGH });
    const port = acceptor.port;

    const stuck = await StuckClient.connect(port);
    const stuckSession = await sessionOf(log, stuck.localPort);

    // The well-behaved clients check every message arrives once and in order.
    const clients: tcp.Connector[] = [];
    const next: number[] = new Array(GOOD).fill(0);
    const errors: string[] = [];
    let round: { tick: () => void; done: Promise<void> } | undefined;
    const connected = counter(GOOD, "all good clients connected", 20_000);
    for (let i = 0; i < GOOD; i++) {
      const c = new tcp.Connector({ name: `good${i}`, address: `127.0.0.1:${port}` });
      bindProcessorHandler(c, "tcp.ltv", (ev) => {
        if (ev.message instanceof Bulk) {
          if (ev.message.Seq !== next[i]) {
            errors.push(`client ${i}: got ${ev.message.Seq}, expected ${next[i]}`);
          }
          next[i] = ev.message.Seq + 1;
          if (ev.message.Data.length !== payload.length) {
            errors.push(`client ${i}: payload ${ev.message.Data.length}`);
          }
          round?.tick();
        } else if (ev.message instanceof SessionClosed) {
          errors.push(`client ${i} closed: ${ev.message.reason}`);
        } else if (ev.message instanceof SessionConnected) {
          connected.tick();
        }
      });
      clients.push(c);
      await c.start();
    }
    await connected.done;
    for (let i = 0; i < GOOD; i++) await log.nextOf(SessionAccepted);
    assert.equal(acceptor.sessionCount(), GOOD + 1);

    let seq = 0;
    let maxBuffered = 0;
    let afterClose = 0;
    // Rounds of broadcasts; each waits until every good client has them all,
    // so only the stuck session accumulates. Go on a few rounds past its close.
    for (let r = 0; r < 400 && afterClose < 3; r++) {
      round = counter(GOOD * PER_ROUND, `round ${r} delivered to every good client`, 20_000);
      for (let k = 0; k < PER_ROUND; k++) {
        acceptor.broadcast(new Bulk({ Seq: seq++, Data: payload }));
        if (stuckSession.isOpen) maxBuffered = Math.max(maxBuffered, stuckSession.bufferedAmount);
        assert.ok(
          stuckSession.bufferedAmount <= HIGH,
          `stuck session holds ${stuckSession.bufferedAmount} > ${HIGH}`,
        );
      }
      await round.done;
      if (!stuckSession.isOpen) afterClose++;
    }
    assert.deepEqual(errors, []);
    const closed = await log.next(
      (e) => e.message instanceof SessionClosed && e.session === stuckSession,
      "stuck close",
    );
    const msg = closed.message as SessionClosed;
    assert.equal(msg.reason, CloseReason.SlowConsumer);
    assert.ok(msg.error instanceof SlowConsumerError);
    assert.ok(maxBuffered > 0, "the stuck session did buffer");
    assert.equal(stuckSession.bufferedAmount, 0, "a closed session holds nothing");
    for (let i = 0; i < GOOD; i++) assert.equal(next[i], seq, `client ${i} got all ${seq}`);
    assert.equal(acceptor.sessionCount(), GOOD);
    await stuck.close();
    for (const c of clients) await c.stop();
    await acceptor.stop();
  },
);

/** Queue `count` Bulk messages of `size` bytes on `session`; returns the bytes queued. */
function queueBulk(session: Session, count: number, size: number): number {
  const data = new Uint8Array(size).fill(1);
  for (let i = 0; i < count; i++) {
    assert.ok(session.send(new Bulk({ Seq: i, Data: data })), `send ${i}`);
  }
  return count * (4 + 4 + 2 + size);
}

test(
  "writeTimeoutMs closes a session whose bytes do not drain (Timeout); a reading one with the same bytes stays",
  LONG,
  async () => {
    const { acceptor, log } = await server({
      writeTimeoutMs: 500,
      sendQueueHighWater: 64 * 1024 * 1024,
    });
    const stuck = await StuckClient.connect(acceptor.port);
    const reader = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
    const readerLog = new EventLog();
    const got = counter(512, "the reader to get all 512 messages", 20_000);
    bindProcessorHandler(reader, "tcp.ltv", (ev) => {
      readerLog.handler(ev);
      if (ev.message instanceof Bulk) got.tick();
    });
    try {
      const stuckSession = await sessionOf(log, stuck.localPort);
      await reader.start();
      const readerSession = await sessionOf(log, reader.session.raw!.localAddress.port);
      // 8 MiB each: more than the kernel buffers of a loopback pair hold.
      queueBulk(stuckSession, 512, 16 * 1024);
      queueBulk(readerSession, 512, 16 * 1024);
      const closed = await log.next(
        (e) => e.message instanceof SessionClosed && e.session === stuckSession,
        "stuck close",
      );
      const msg = closed.message as SessionClosed;
      assert.equal(msg.reason, CloseReason.Timeout);
      assert.ok(msg.error instanceof TimeoutError);
      assert.match(msg.error.message, /did not drain within 500 ms/);
      await got.done;
      assert.ok(readerSession.isOpen, "the reading session is still open");
      assert.ok(reader.isConnected);
    } finally {
      await stuck.close();
      await reader.stop();
      await acceptor.stop();
    }
  },
);

test(
  "connectTimeoutMs: a dial to a listener that never accepts fails with TimeoutError",
  LONG,
  async (t) => {
    const deaf = await deafListener();
    if (!deaf) {
      t.skip("no `node` on PATH to run the deaf listener");
      return;
    }
    const fillers: tcp.SyncConnector[] = [];
    try {
      // Fill the accept queue (backlog 1 holds two); the next dial hangs.
      let timedOut: unknown;
      for (let i = 0; i < 8 && timedOut === undefined; i++) {
        const c = new tcp.SyncConnector({
          address: `127.0.0.1:${deaf.port}`,
          connectTimeoutMs: 300,
        });
        bindProcessorHandler(c, "tcp.ltv", () => {});
        try {
          await c.start();
          fillers.push(c);
        } catch (e) {
          timedOut = e;
        }
      }
      assert.ok(timedOut instanceof TimeoutError, `expected a TimeoutError, got ${timedOut}`);
      assert.match(timedOut.message, /timed out after 300 ms/);
      // A plain connector reports it as SessionConnectError.
      const c = new tcp.Connector({ address: `127.0.0.1:${deaf.port}`, connectTimeoutMs: 300 });
      const log = new EventLog();
      bindProcessorHandler(c, "tcp.ltv", log.handler);
      await c.start();
      const ev = await log.nextOf(SessionConnectError);
      assert.ok(ev.message.error instanceof TimeoutError);
      assert.equal(c.isRunning, false);
      await c.stop();
    } finally {
      // Killed first, the child's kernel resets the queued connections, so the fillers close at once.
      await deaf.kill();
      await Promise.all(fillers.map((f) => f.stop()));
    }
  },
);

test(
  "acceptor.stop() delivers large queued replies to a reading client before the close and resolves with 0 sessions",
  LONG,
  async () => {
    const COUNT = 512;
    const { acceptor, log } = await server({ sendQueueHighWater: 64 * 1024 * 1024 });
    const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
    const seqs: number[] = [];
    let closedAfter = -1;
    let closeReason = -1;
    const closed = counter(1, "the client's SessionClosed", 20_000);
    bindProcessorHandler(client, "tcp.ltv", (ev) => {
      if (ev.message instanceof Bulk) seqs.push(ev.message.Seq);
      if (ev.message instanceof SessionClosed) {
        closedAfter = seqs.length;
        closeReason = ev.message.reason;
        closed.tick();
      }
    });
    await client.start();
    const session = await sessionOf(log, client.session.raw!.localAddress.port);
    queueBulk(session, COUNT, 16 * 1024); // 8 MiB: most of it still in user space when stop() begins
    assert.ok(session.bufferedAmount > 0);
    await acceptor.stop();
    assert.equal(acceptor.sessionCount(), 0);
    const ev = await log.next(
      (e) => e.message instanceof SessionClosed && e.session === session,
      "server SessionClosed",
    );
    assert.equal((ev.message as SessionClosed).reason, CloseReason.Manual);
    await closed.done;
    assert.equal(closedAfter, COUNT, "every queued reply arrived before the close");
    assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i));
    assert.equal(closeReason, CloseReason.IO);
    await client.stop();
  },
);

test(
  "acceptor.stop() destroys a non-reading client after stopTimeoutMs, dropping what it could not send",
  LONG,
  async () => {
    const { acceptor, log } = await server({
      sendQueueHighWater: 64 * 1024 * 1024,
      stopTimeoutMs: 300,
    });
    const stuck = await StuckClient.connect(acceptor.port);
    try {
      const session = await sessionOf(log, stuck.localPort);
      const total = queueBulk(session, 1024, 16 * 1024); // 16 MiB, far more than the kernel buffers hold
      await acceptor.stop();
      assert.equal(acceptor.sessionCount(), 0);
      const ev = await log.next(
        (e) => e.message instanceof SessionClosed && e.session === session,
        "server SessionClosed",
      );
      assert.equal((ev.message as SessionClosed).reason, CloseReason.Manual);
      await within(
        (session as CoreSession).connectionClosed(),
        5000,
        "the server connection to be destroyed",
      );
      assert.equal(session.bufferedAmount, 0);
      // What the kernels held still arrives, then the end: never all of it.
      const received = await stuck.drain();
      assert.ok(received < total, `received ${received} of ${total}`);
    } finally {
      await stuck.close();
    }
  },
);

test("connector.stop() flushes what was queued before closing", LONG, async () => {
  const COUNT = 256;
  const got = counter(COUNT, "the server to get every queued message", 20_000);
  const seqs: number[] = [];
  const { acceptor } = await server({}, (ev) => {
    if (ev.message instanceof Bulk) {
      seqs.push(ev.message.Seq);
      got.tick();
    }
  });
  const client = new tcp.SyncConnector({
    address: `127.0.0.1:${acceptor.port}`,
    sendQueueHighWater: 64 * 1024 * 1024,
  });
  bindProcessorHandler(client, "tcp.ltv", () => {});
  await client.start();
  queueBulk(client.session, COUNT, 16 * 1024);
  await client.stop();
  await got.done;
  assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i));
  await acceptor.stop();
});

test(
  "the bytes held for one incomplete frame never exceed maxPacketSize + 2",
  { timeout: 30_000 },
  () => {
    for (const max of [0, 16, 64, 1000, 4096]) {
      const limit = (max > 0 ? max : 0x10000) + 2;
      const rnd = prng(0xc0ffee + max);
      let maxHeld = 0;
      let frames = 0;
      for (let run = 0; run < 200; run++) {
        const sink: MessageSink = { receiving: true, onRecvMessage: () => void frames++ };
        const receiver = new LTVTransmitter().newReceiver(sink, { maxPacketSize: max });
        // A stream of Ping frames of every size up to the limit, fed in random splits.
        const parts: Uint8Array[] = [];
        const cap = max > 0 ? max - 1 : 0xffff;
        for (let i = 0; i < 8; i++) {
          const textLen = Math.floor(rnd() * Math.max(1, cap - 8));
          const body = new Uint8Array(2 + textLen + 4);
          body[0] = textLen & 0xff;
          body[1] = textLen >> 8;
          body.fill(0x61, 2, 2 + textLen);
          parts.push(frame(Ping.meta.id, body));
        }
        // Then a header of the largest allowed Length whose body never comes.
        const lastLen = cap;
        parts.push(
          Uint8Array.of(lastLen & 0xff, lastLen >> 8, Ping.meta.id & 0xff, Ping.meta.id >> 8),
        );
        parts.push(new Uint8Array(Math.max(0, lastLen - 3)));
        const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let off = 0;
        for (const p of parts) {
          stream.set(p, off);
          off += p.length;
        }
        for (let at = 0; at < stream.length;) {
          const n = 1 + Math.floor(rnd() * rnd() * 9000);
          receiver.receive(stream.subarray(at, at + n));
          at += n;
          maxHeld = Math.max(maxHeld, receiver.partialBytes);
          assert.ok(
            receiver.partialBytes <= limit,
            `max ${max}: ${receiver.partialBytes} bytes held > ${limit}`,
          );
        }
        assert.ok(receiver.partialBytes > 0, "the last frame stays incomplete");
        // One byte over the limit is refused on the header, before any body is held.
        if (max > 0) {
          const over = new LTVTransmitter().newReceiver(sink, { maxPacketSize: max });
          assert.throws(
            () => over.receive(Uint8Array.of(max & 0xff, max >> 8)),
            PacketTooLargeError,
          );
          assert.equal(over.partialBytes, 0);
        }
      }
      assert.ok(maxHeld >= limit - 4, `max ${max}: the test reached ${maxHeld} of ${limit}`);
    }
  },
);

test(
  "a reconnecting connector whose backlog passes the bound while disconnected redials once and connects once",
  LONG,
  async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    const probe = await server({});
    const port = probe.acceptor.port;
    await probe.acceptor.stop();
    const client = new tcp.Connector({
      address: `127.0.0.1:${port}`,
      reconnectIntervalMs: 50,
      sendQueueHighWater: 1000,
    });
    const clientLog = new EventLog();
    bindProcessorHandler(client, "tcp.ltv", clientLog.handler);
    let acceptor: tcp.Acceptor | undefined;
    try {
      await client.start();
      let queued = 0;
      while (client.session.send(new Ping({ Text: "x".repeat(100), Seq: queued }))) queued++;
      assert.ok(queued < 10, "the backlog is bounded while disconnected");
      assert.ok(
        client.session.send(new Ping({ Text: "after", Seq: 1000 })),
        "the session takes sends again",
      );
      const got = counter(1, "the message sent after the drop", 10_000);
      const second = await server({ address: `127.0.0.1:${port}` }, (ev) => {
        if (ev.message instanceof Ping && ev.message.Seq === 1000) got.tick();
      });
      acceptor = second.acceptor;
      await clientLog.nextOf(SessionConnected);
      await got.done;
      // One more round trip through the event loop, so a second dial would have landed.
      await second.log.nextOf(SessionAccepted);
      assert.equal(acceptor.sessionCount(), 1, "exactly one connection");
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await client.stop();
      await acceptor?.stop();
    }
  },
);
