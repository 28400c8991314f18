// Pre-auth limits of issue 7: connections per IP, the partial-frame timeout
// and the per-session inbound rate limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  closeReasonName,
  type CoreSession,
  type Event,
  LimitError,
  SessionAccepted,
  SessionClosed,
  tcp,
  TimeoutError,
} from "../mod.ts";
import { concat, EventLog, frame, MemoryLogger, RawClient, T, within } from "./_helpers.ts";
import { Ping, pingBody } from "./_messages.ts";

/** One wire frame of `test.Ping{Text, Seq}`. */
function pingFrame(seq: number, text = "p"): Uint8Array {
  return frame(Ping.meta.id, pingBody(text, seq));
}

/** An echoing acceptor with the given options, its events recorded. */
async function server(options: Omit<tcp.AcceptorOptions, "address"> = {}) {
  const log = new EventLog();
  const logger = new MemoryLogger();
  const acceptor = new tcp.Acceptor({ name: "limits", address: "127.0.0.1:0", logger, ...options });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    log.handler(ev);
    if (ev.message instanceof Ping) ev.reply(ev.message);
  });
  await acceptor.start();
  return { acceptor, log, logger };
}

const count = (log: EventLog, type: abstract new (...a: never[]) => unknown) =>
  log.events.filter((e) => e.message instanceof type).length;

// ---- maxConnectionsPerIp ----

test(
  "maxConnectionsPerIp refuses the N+1th connection from one IP, and accepts again once one closes",
  T,
  async () => {
    const { acceptor, log, logger } = await server({ maxConnectionsPerIp: 2 });
    const a = await RawClient.connect(acceptor.port);
    await log.nextOf(SessionAccepted);
    const b = await RawClient.connect(acceptor.port);
    await log.nextOf(SessionAccepted);
    const refused = await RawClient.connect(acceptor.port);
    await within(refused.closed, 5000, "the refused connection to be closed");
    assert.equal(acceptor.rejectedConnections, 1);
    assert.equal(acceptor.sessionCount(), 2);
    assert.equal(count(log, SessionAccepted), 2, "the refused connection never became a session");
    const port = refused.conn.localAddress.port;
    const warn = logger.lines.find((l) =>
      l.startsWith("WARN") && l.includes("maxConnectionsPerIp")
    );
    assert.ok(warn, logger.lines.join("\n"));
    assert.ok(warn.includes(`refused 127.0.0.1:${port}`), warn);
    assert.ok(warn.includes("maxConnectionsPerIp 2 reached for 127.0.0.1"), warn);
    // One closes: its slot is free again.
    await a.close();
    await log.nextOf(SessionClosed);
    const c = await RawClient.connect(acceptor.port);
    await log.nextOf(SessionAccepted);
    assert.equal(acceptor.sessionCount(), 2);
    assert.equal(acceptor.rejectedConnections, 1);
    c.write(pingFrame(9));
    await c.waitBytes(pingFrame(9).length);
    await b.close();
    await c.close();
    await acceptor.stop();
  },
);

test("maxConnectionsPerIp counts sessions closed by the acceptor too", T, async () => {
  const { acceptor, log } = await server({ maxConnectionsPerIp: 1 });
  for (let round = 0; round < 3; round++) {
    const raw = await RawClient.connect(acceptor.port);
    const accepted = await log.nextOf(SessionAccepted);
    accepted.session.close();
    await log.nextOf(SessionClosed);
    await within(raw.closed, 5000, "the client to see the close");
  }
  assert.equal(acceptor.rejectedConnections, 0);
  await acceptor.stop();
});

test("connection limits must be integers >= 0", () => {
  assert.throws(
    () => new tcp.Acceptor({ address: "127.0.0.1:0", maxConnectionsPerIp: -1 }),
    RangeError,
  );
  assert.throws(
    () => new tcp.Acceptor({ address: "127.0.0.1:0", maxConnectionsPerIp: 1.5 }),
    RangeError,
  );
});

// ---- frameTimeoutMs ----

test("frameTimeoutMs defaults to 30000", () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  assert.equal(acceptor.sessionOptions.frameTimeoutMs, 30_000);
});

for (
  const [what, bytes] of [
    ["1 byte", new Uint8Array([0x05])],
    ["3 bytes", pingFrame(1).subarray(0, 3)],
  ] as const
) {
  test(
    `a session holding ${what} of a frame is closed with Timeout after frameTimeoutMs`,
    T,
    async () => {
      const { acceptor, log } = await server({ frameTimeoutMs: 200 });
      const raw = await RawClient.connect(acceptor.port);
      await log.nextOf(SessionAccepted);
      const sent = Date.now();
      raw.write(bytes);
      const ev = await log.nextOf(SessionClosed);
      const waited = Date.now() - sent;
      assert.equal(closeReasonName(ev.message.reason), "Timeout");
      assert.ok(ev.message.error instanceof TimeoutError, String(ev.message.error));
      assert.match(ev.message.error.message, /frameTimeoutMs 200/);
      assert.ok(waited >= 150, `closed after ${waited} ms, before the timeout`);
      await within(raw.closed, 5000, "the client to see the close");
      await acceptor.stop();
    },
  );
}

test(
  "a session that sends whole frames and then idles is not closed by frameTimeoutMs",
  T,
  async () => {
    const { acceptor, log } = await server({ frameTimeoutMs: 100 });
    const raw = await RawClient.connect(acceptor.port);
    await log.nextOf(SessionAccepted);
    const whole = pingFrame(1);
    // One frame in one write, then one split in two writes: both complete.
    raw.write(whole);
    await raw.waitBytes(whole.length);
    raw.write(whole.subarray(0, 3));
    raw.write(whole.subarray(3));
    await raw.waitBytes(2 * whole.length);
    // Nothing held: three timeouts pass without a close.
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(count(log, SessionClosed), 0);
    assert.equal(acceptor.sessionCount(), 1);
    await raw.close();
    assert.equal((await log.nextOf(SessionClosed)).message.reason, CloseReason.IO);
    await acceptor.stop();
  },
);

// ---- maxMessagesPerSecond ----

test(
  "past maxMessagesPerSecond the session is closed with CloseReason.Limit and a LimitError (policy close)",
  T,
  async () => {
    const { acceptor, log, logger } = await server({ maxMessagesPerSecond: 10 });
    const raw = await RawClient.connect(acceptor.port);
    await log.nextOf(SessionAccepted);
    // 50 frames in one write: they arrive within one window, whatever the timing.
    raw.write(concat(...Array.from({ length: 50 }, (_, i) => pingFrame(i))));
    const ev = await log.nextOf(SessionClosed);
    assert.equal(ev.message.reason, CloseReason.Limit);
    assert.equal(closeReasonName(CloseReason.Limit), "Limit");
    assert.ok(ev.message.error instanceof LimitError, String(ev.message.error));
    assert.match(ev.message.error.message, /maxMessagesPerSecond/);
    const pings = log.events.filter((e): e is Event<Ping> => e.message instanceof Ping);
    assert.deepEqual(
      pings.map((e) => e.message.Seq),
      [...Array(10).keys()],
      "the first 10 were delivered, in order",
    );
    assert.ok(
      logger.lines.some((l) => l.startsWith("WARN") && l.includes("closed: Limit")),
      logger.lines.join("\n"),
    );
    await within(raw.closed, 5000, "the client to see the close");
    await acceptor.stop();
  },
);

test(
  "past maxMessagesPerSecond messages are dropped and counted, and the session stays open (policy drop)",
  T,
  async () => {
    const { acceptor, log } = await server({ maxMessagesPerSecond: 10, rateLimitPolicy: "drop" });
    const raw = await RawClient.connect(acceptor.port);
    const accepted = await log.nextOf(SessionAccepted);
    raw.write(concat(...Array.from({ length: 50 }, (_, i) => pingFrame(i))));
    // The 10 admitted are echoed: the session is open and replying.
    await raw.waitBytes(10 * pingFrame(0).length);
    // The client's FIN is read after all 50 frames: then every one was counted.
    raw.conn.close(true);
    const closed = await log.nextOf(SessionClosed);
    assert.equal(closed.message.reason, CloseReason.IO, "closed by the client, not by the limit");
    assert.equal(closed.message.error, undefined);
    await within(raw.closed, 5000, "the client close");
    const pings = log.events.filter((e): e is Event<Ping> => e.message instanceof Ping);
    assert.deepEqual(pings.map((e) => e.message.Seq), [...Array(10).keys()]);
    assert.equal((accepted.session as CoreSession).droppedMessages, 40);
    await acceptor.stop();
  },
);

test("rateLimitPolicy must be close or drop", () => {
  assert.throws(
    () => new tcp.Acceptor({ address: "127.0.0.1:0", rateLimitPolicy: "queue" as "drop" }),
    RangeError,
  );
  assert.throws(
    () => new tcp.Acceptor({ address: "127.0.0.1:0", maxMessagesPerSecond: -1 }),
    RangeError,
  );
});
