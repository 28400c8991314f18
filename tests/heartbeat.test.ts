// startHeartbeat: with the acceptor's readTimeoutMs, a connector that beats
// stays; one that does not is dropped with Timeout.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  startHeartbeat,
  tcp,
  TimeoutError,
} from "../mod.ts";
import { EventLog, T } from "./_helpers.ts";
import { Ping } from "./_messages.ts";
import { counter, portOf } from "./_reliability.ts";

test(
  "a connector with a heartbeat outlives the acceptor's read timeout; one without is closed with Timeout",
  T,
  async () => {
    const READ_TIMEOUT = 400;
    const log = new EventLog();
    let portA = -1;
    let enough: { tick: () => void; done: Promise<void> } | undefined;
    const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", readTimeoutMs: READ_TIMEOUT });
    bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
      log.handler(ev);
      if (ev.message instanceof Ping && portOf(ev.session.remoteAddress) === portA) {
        enough?.tick();
      }
    });
    await acceptor.start();
    const address = `127.0.0.1:${acceptor.port}`;

    const a = new tcp.Connector({ name: "beating", address });
    const aLog = new EventLog();
    bindProcessorHandler(a, "tcp.ltv", aLog.handler);
    const b = new tcp.Connector({ name: "silent", address });
    const bLog = new EventLog();
    bindProcessorHandler(b, "tcp.ltv", bLog.handler);

    let seq = 0;
    const heartbeat = startHeartbeat(a, {
      intervalMs: 100,
      message: () => new Ping({ Text: "beat", Seq: seq++ }),
    });
    try {
      await a.start();
      await aLog.nextOf(SessionConnected);
      portA = a.session.raw!.localAddress.port;
      await b.start();
      await bLog.nextOf(SessionConnected);
      const portB = b.session.raw!.localAddress.port;
      const sessionA = (await log.next((e) =>
        e.message instanceof SessionAccepted && portOf(e.session.remoteAddress) === portA
      )).session;

      // The silent one is dropped once the read timeout passes...
      const closedB = await log.next(
        (e) =>
          e.message instanceof SessionClosed && portOf(e.session.remoteAddress) === portB,
        "the silent session to be closed",
      );
      assert.equal((closedB.message as SessionClosed).reason, CloseReason.Timeout);
      assert.ok((closedB.message as SessionClosed).error instanceof TimeoutError);
      assert.equal((await bLog.nextOf(SessionClosed)).message.reason, CloseReason.IO);

      // ...while the beating one lives on through two more read-timeout periods' worth of beats.
      enough = counter(8, "8 more beats", 10_000);
      await enough.done;
      assert.ok(sessionA.isOpen, "the beating session is still open");
      assert.ok(a.isConnected);
      assert.ok(heartbeat.beats >= 8);
      assert.equal(aLog.events.filter((e) => e.message instanceof SessionClosed).length, 0);

      // Without its beats it too is dropped: the heartbeat was what kept it.
      heartbeat.stop();
      assert.equal(heartbeat.isRunning, false);
      const closedA = await log.next(
        (e) => e.message instanceof SessionClosed && e.session === sessionA,
        "the beating session after stop",
      );
      assert.equal((closedA.message as SessionClosed).reason, CloseReason.Timeout);
    } finally {
      heartbeat.stop();
      await a.stop();
      await b.stop();
      await acceptor.stop();
    }
  },
);

test(
  "a heartbeat stops by itself once its connector is stopped, and refuses a bad interval",
  T,
  async () => {
    const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
    const got = counter(1, "a beat");
    bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
      if (ev.message instanceof Ping) got.tick();
    });
    await acceptor.start();
    const c = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
    bindProcessorHandler(c, "tcp.ltv", () => {});
    assert.throws(
      () => startHeartbeat(c, { intervalMs: 0, message: () => new Ping() }),
      RangeError,
    );
    const heartbeat = startHeartbeat(c, {
      intervalMs: 20,
      message: () => new Ping({ Text: "beat" }),
    });
    await c.start();
    await got.done;
    await c.stop();
    const stopped = counter(1, "the heartbeat to stop itself", 5000);
    const poll = setInterval(() => {
      if (!heartbeat.isRunning) stopped.tick();
    }, 10);
    try {
      await stopped.done;
    } finally {
      clearInterval(poll);
      heartbeat.stop();
      await acceptor.stop();
    }
  },
);
