// rpc over tcp.ltv: Go's frames byte for byte both ways, timeouts, late
// replies, closed sessions, unknown inner ids, callback, typed FIFO.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type Event,
  EventQueue,
  RemoteCallACK,
  rpc,
  RpcSessionClosedError,
  RpcTimeoutError,
  tcp,
  TimeoutError,
  UnknownMessageError,
} from "../mod.ts";
import { EventLog, frame, hex, MemoryLogger, RawClient, T, toHex, within } from "./_helpers.ts";
import { TestEchoACK } from "./_ext_messages.ts";
import { ext } from "./_ext_vectors.ts";
import { RawServer } from "./_raw_server.ts";

const reqs = ext.rpc.filter((v) => v.message === "rpc.RemoteCallREQ");
const acks = ext.rpc.filter((v) => v.message === "rpc.RemoteCallACK");
const ackFor = (callId: string) => acks.find((a) => a.value.CallID === callId)!;

/** A started echo acceptor like Go's examples/echo server: rpc requests answered by rpc, plain by plain. */
async function echoServer(onEvent?: (ev: Event) => boolean | void) {
  const logger = new MemoryLogger();
  const server = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0", logger });
  const log = new EventLog();
  bindProcessorHandler(server, "tcp.ltv", (ev) => {
    log.handler(ev);
    if (onEvent?.(ev)) return;
    if (ev.message instanceof TestEchoACK) {
      ev.reply(new TestEchoACK({ Msg: ev.message.Msg, Value: ev.message.Value }));
    }
  });
  await server.start();
  return { server, log, logger };
}

async function client(port: number) {
  const c = new tcp.SyncConnector({ name: "client", address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(c, "tcp.ltv", log.handler);
  await c.start();
  return { client: c, log };
}

test(
  "rpc.call writes Go's RemoteCallREQ frames byte for byte and accepts Go's RemoteCallACK frames",
  T,
  async () => {
    assert.equal(reqs.length, 5);
    const raw = await RawServer.start();
    const { client: c, log } = await client(raw.port);
    try {
      const conn = await raw.accept();
      for (const v of reqs) {
        rpc.setCallIdBase(Number(BigInt(v.value.CallID) - 1n));
        const reply = rpc.call(c, new TestEchoACK(v.inner.value), { timeoutMs: 5000 });
        assert.equal(await conn.take(v.frameHex.length / 2), v.frameHex, v.label);
        conn.write(ackFor(v.value.CallID).frameHex);
        const ack = await within(reply, 5000, v.label);
        assert.ok(ack instanceof TestEchoACK);
        assert.deepEqual({ Msg: ack.Msg, Value: ack.Value }, v.inner.value);
      }
      // The ACKs were taken by their calls: none reached the handler.
      assert.equal(log.events.filter((e) => e.message instanceof RemoteCallACK).length, 0);
      assert.equal(log.events.filter((e) => e.message instanceof TestEchoACK).length, 0);
    } finally {
      await c.stop();
      await raw.close();
    }
  },
);

test(
  "the tcp.ltv server answers Go's RemoteCallREQ frames with exactly Go's RemoteCallACK frames",
  T,
  async () => {
    const { server, log } = await echoServer();
    const raw = await RawClient.connect(server.port!);
    try {
      let want = 0;
      for (const v of reqs) {
        raw.write(v.frameHex);
        const ack = ackFor(v.value.CallID).frameHex;
        want += ack.length / 2;
        const got = await raw.waitBytes(want);
        assert.equal(toHex(got.subarray(want - ack.length / 2, want)), ack, v.label);
        const ev = await log.nextOf(TestEchoACK);
        assert.ok(ev instanceof rpc.RecvMsgEvent, "the handler gets an rpc.RecvMsgEvent");
        assert.equal(ev.callId, BigInt(v.value.CallID));
        assert.deepEqual({ Msg: ev.message.Msg, Value: ev.message.Value }, v.inner.value);
      }
    } finally {
      await raw.close();
      await server.stop();
    }
  },
);

test(
  "a RemoteCallREQ with an unknown inner id is logged and dropped and the session stays open",
  T,
  async () => {
    const bad = ext.rpcBehaviour.find((b) => b.frameHex === "0b0015e501b4240a020000114d")!;
    const { server, log, logger } = await echoServer();
    const raw = await RawClient.connect(server.port!);
    try {
      raw.write(bad.frameHex!);
      raw.write(reqs[0].frameHex);
      const ack = ackFor(reqs[0].value.CallID).frameHex;
      assert.equal(toHex(await raw.waitBytes(ack.length / 2)), ack);
      assert.ok(
        logger.lines.includes("WARN rpc.ResolveInboundEvent: msg not exists, '4660'"),
        logger.lines.join("\n"),
      );
      assert.equal(log.events.filter((e) => e.message instanceof TestEchoACK).length, 1);
      assert.equal(server.sessionCount(), 1);
    } finally {
      await raw.close();
      await server.stop();
    }
  },
);

test(
  "rpc.call rejects with RpcTimeoutError and a later reply is dropped and counted",
  T,
  async () => {
    let held: Event | undefined;
    const { server } = await echoServer((ev) => {
      if (ev.message instanceof TestEchoACK && ev.message.Msg === "late") {
        held = ev;
        return true;
      }
    });
    const { client: c, log } = await client(server.port!);
    try {
      const before = rpc.stats();
      const started = Date.now();
      const err = await rpc.call(c, new TestEchoACK({ Msg: "late", Value: 2 }), { timeoutMs: 60 })
        .then(
          () => assert.fail("resolved"),
          (e) => e,
        );
      assert.ok(err instanceof RpcTimeoutError && err instanceof TimeoutError, String(err));
      assert.match(err.message, /^RPC time out/);
      assert.ok(Date.now() - started >= 55);
      assert.equal(rpc.stats().timeouts, before.timeouts + 1);
      // The reply comes after all; a plain message behind it tells us it arrived.
      held!.reply(new TestEchoACK({ Msg: "late", Value: 2 }));
      held!.session.send(new TestEchoACK({ Msg: "after", Value: 3 }));
      const after = await log.nextOf(TestEchoACK);
      assert.equal(after.message.Msg, "after");
      assert.equal(rpc.stats().lateReplies, before.lateReplies + 1);
      assert.equal(rpc.stats().pending, before.pending);
      assert.equal(log.events.filter((e) => e.message instanceof RemoteCallACK).length, 0);
      // The session is still usable for calls.
      const ok = await rpc.call(c, new TestEchoACK({ Msg: "still here", Value: 5 }), {
        timeoutMs: 2000,
      });
      assert.equal((ok as TestEchoACK).Msg, "still here");
    } finally {
      await c.stop();
      await server.stop();
    }
  },
);

test(
  "closing the session rejects its pending calls with RpcSessionClosedError at once",
  T,
  async () => {
    const { server } = await echoServer((ev) => {
      if (!(ev.message instanceof TestEchoACK)) return;
      if (ev.message.Msg === "closeme") ev.session.close();
      return true; // no reply to anything
    });
    const { client: c } = await client(server.port!);
    try {
      const started = Date.now();
      const calls = [
        rpc.call(c, new TestEchoACK({ Msg: "pending", Value: 1 }), { timeoutMs: 10_000 }),
        rpc.call(c.session, new TestEchoACK({ Msg: "pending too", Value: 1 }), {
          timeoutMs: 10_000,
        }),
        rpc.callType(c, new TestEchoACK({ Msg: "closeme", Value: 9 }), TestEchoACK, {
          timeoutMs: 10_000,
        }),
      ].map((p) => p.then(() => "resolved", (e) => e));
      for (const e of await within(Promise.all(calls), 5000, "rejections")) {
        assert.ok(e instanceof RpcSessionClosedError, String(e));
      }
      assert.ok(Date.now() - started < 5000);
      // A call on the closed session fails at once too.
      const e = await rpc.call(c, new TestEchoACK(), { timeoutMs: 10_000 }).catch((e) => e);
      assert.ok(e instanceof RpcSessionClosedError, String(e));
    } finally {
      await c.stop();
      await server.stop();
    }
  },
);

test(
  "a reply whose inner id is unknown fails its call at once and keeps the session open",
  T,
  async () => {
    const raw = await RawServer.start();
    const logger = new MemoryLogger();
    const c = new tcp.SyncConnector({ name: "client", address: `127.0.0.1:${raw.port}`, logger });
    bindProcessorHandler(c, "tcp.ltv", () => {});
    await c.start();
    try {
      const conn = await raw.accept();
      rpc.setCallIdBase(76);
      const p = rpc.call(c, new TestEchoACK({ Msg: "x" }), { timeoutMs: 10_000 });
      await conn.take(1); // the request went out
      // RemoteCallACK{MsgID: 4660, Data: 0000, CallID: 77}: Go's bad REQ body under the ACK id.
      conn.write(frame(RemoteCallACK.meta.id, hex("01b4240a020000114d")));
      const e = await within(p.then(() => "resolved", (e) => e), 5000, "rejection");
      assert.ok(e instanceof UnknownMessageError, String(e));
      assert.ok(
        logger.lines.includes("WARN rpc.ResolveInboundEvent: msg not exists, '4660'"),
        logger.lines.join("\n"),
      );
      assert.ok(c.isConnected);
    } finally {
      await c.stop();
      await raw.close();
    }
  },
);

test(
  "rpc.call rejects with the abort reason, and for a bad target or an unregistered request",
  T,
  async () => {
    const { server } = await echoServer((ev) => ev.message instanceof TestEchoACK);
    const { client: c } = await client(server.port!);
    try {
      const ac = new AbortController();
      const p = rpc.call(c, new TestEchoACK({ Msg: "abort me" }), { signal: ac.signal });
      ac.abort(new Error("no longer needed"));
      assert.equal((await p.catch((e) => e)).message, "no longer needed");
      assert.equal(
        (await rpc.call(c, new TestEchoACK(), { signal: ac.signal }).catch((e) => e)).message,
        "no longer needed",
      );
      await assert.rejects(rpc.call(null as never, new TestEchoACK()), TypeError);
      await assert.rejects(rpc.call({} as never, new TestEchoACK()), TypeError);
      await assert.rejects(rpc.call(c, { not: "a message" }), /not a registered message/);
    } finally {
      await c.stop();
      await server.stop();
    }
  },
);

test(
  "rpc.callback hands the reply, or the error, to the callback once, on the peer's queue",
  T,
  async () => {
    const { server } = await echoServer((ev) =>
      ev.message instanceof TestEchoACK && ev.message.Msg === "ignore"
    );
    const queue = new EventQueue().startLoop();
    const c = new tcp.SyncConnector({ name: "client", address: `127.0.0.1:${server.port}`, queue });
    bindProcessorHandler(c, "tcp.ltv", () => {});
    await c.start();
    try {
      const results: (object | Error)[] = [];
      let onQueue = 0;
      const done = new Promise<void>((resolve) => {
        const cb = (r: object | Error) => {
          results.push(r);
          queue.post(() => onQueue++); // runs after cb only because cb ran on the queue
          if (results.length === 3) queue.post(resolve);
        };
        rpc.callback(c, new TestEchoACK({ Msg: "hello", Value: 1234 }), 2000, cb);
        rpc.callback(c, new TestEchoACK({ Msg: "ignore" }), 50, cb);
        rpc.callback(undefined as never, new TestEchoACK(), 50, cb);
      });
      await within(done, 5000, "three callbacks");
      const reply = results.find((r) => r instanceof TestEchoACK) as TestEchoACK;
      assert.equal(reply.Msg, "hello");
      assert.ok(results.some((r) => r instanceof RpcTimeoutError));
      assert.ok(results.some((r) => r instanceof TypeError));
      assert.equal(onQueue, 3);
    } finally {
      await c.stop();
      await server.stop();
      queue.stopLoop();
    }
  },
);

test("rpc.callType sends Go's plain typed frame and takes the plain reply", T, async () => {
  const [req, ack] = ext.rpcTyped;
  const raw = await RawServer.start();
  const { client: c, log } = await client(raw.port);
  try {
    const conn = await raw.accept();
    const p = rpc.callType(c, new TestEchoACK(req.value), TestEchoACK, { timeoutMs: 5000 });
    assert.equal(await conn.take(req.frameHex.length / 2), req.frameHex);
    conn.write(ack.frameHex);
    const got = await within(p, 5000, "typed reply");
    assert.deepEqual({ Msg: got.Msg, Value: got.Value }, ack.value);
    // Taken by the call: not also given to the handler (Go gives it to both).
    conn.write(frame(TestEchoACK.meta.id, hex("0500" + "6166746572" + "00000000")));
    assert.equal((await log.nextOf(TestEchoACK)).message.Msg, "after");
    assert.equal(log.events.filter((e) => e.message instanceof TestEchoACK).length, 1);
  } finally {
    await c.stop();
    await raw.close();
  }
});

test(
  "concurrent rpc.callType calls of one reply type get their own replies, first in first out",
  T,
  async () => {
    const { server } = await echoServer();
    const { client: c, log } = await client(server.port!);
    try {
      const names = ["A", "B", "C", "D"];
      const replies = await within(
        Promise.all(
          names.map((n, i) => rpc.callType(c, new TestEchoACK({ Msg: n, Value: i }), TestEchoACK)),
        ),
        5000,
        "typed replies",
      );
      assert.deepEqual(replies.map((r) => r.Msg), names);
      assert.equal(log.events.filter((e) => e.message instanceof TestEchoACK).length, 0);
    } finally {
      await c.stop();
      await server.stop();
    }
  },
);

test(
  "after a typed call times out its late reply is dropped, so the next call gets its own",
  T,
  async () => {
    let held: Event | undefined;
    const { server } = await echoServer((ev) => {
      if (ev.message instanceof TestEchoACK && ev.message.Msg === "slow") {
        held = ev;
        return true;
      }
    });
    const { client: c } = await client(server.port!);
    try {
      const before = rpc.stats();
      const e = await rpc.callType(c, new TestEchoACK({ Msg: "slow" }), TestEchoACK, {
        timeoutMs: 50,
      }).catch((e) => e);
      assert.ok(e instanceof RpcTimeoutError, String(e));
      held!.reply(new TestEchoACK({ Msg: "slow" }));
      const next = await rpc.callType(c, new TestEchoACK({ Msg: "next" }), TestEchoACK, {
        timeoutMs: 5000,
      });
      assert.equal(next.Msg, "next");
      assert.equal(rpc.stats().lateReplies, before.lateReplies + 1);
      assert.equal(rpc.stats().pending, before.pending);
    } finally {
      await c.stop();
      await server.stop();
    }
  },
);

test(
  "a RemoteCallREQ whose inner body does not decode is logged and dropped, the session kept",
  T,
  async () => {
    const { server, log, logger } = await echoServer();
    const raw = await RawClient.connect(server.port!);
    try {
      // RemoteCallREQ{MsgID: 4673, Data: 0500 (a string length with no string), CallID: 5}
      raw.write(frame(58645, hex("01c1240a0205001105")));
      raw.write(reqs[0].frameHex);
      const ack = ackFor(reqs[0].value.CallID).frameHex;
      assert.equal(toHex(await raw.waitBytes(ack.length / 2)), ack);
      assert.ok(
        logger.lines.some((l) =>
          l.startsWith("WARN rpc.ResolveInboundEvent: ") && l.includes("main.TestEchoACK")
        ),
        logger.lines.join("\n"),
      );
      assert.equal(log.events.filter((e) => e.message instanceof TestEchoACK).length, 1);
    } finally {
      await raw.close();
      await server.stop();
    }
  },
);

test("a call made on a connector before it connects goes out once it does", T, async () => {
  const { server } = await echoServer();
  const c = new tcp.Connector({ name: "early", address: `127.0.0.1:${server.port}` });
  bindProcessorHandler(c, "tcp.ltv", () => {});
  try {
    const p = rpc.call(c, new TestEchoACK({ Msg: "early", Value: 1 }), { timeoutMs: 5000 });
    await c.start();
    assert.equal(((await within(p, 5000, "reply")) as TestEchoACK).Msg, "early");
  } finally {
    await c.stop();
    await server.stop();
  }
});

test("a custom processor with a MsgHooker serves and makes rpc calls like tcp.ltv", T, async () => {
  const { LTVTransmitter, MsgHooker, queuedCallback, registerProcessor } = await import(
    "../mod.ts"
  );
  registerProcessor("test.rpcltv", (peer, cb) => ({
    transmitter: new LTVTransmitter(),
    hooker: new MsgHooker(peer),
    callback: queuedCallback(peer, cb),
  }));
  const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
  bindProcessorHandler(server, "test.rpcltv", (ev) => {
    if (ev.message instanceof TestEchoACK) {
      ev.reply(new TestEchoACK({ Msg: `re: ${ev.message.Msg}` }));
    }
  });
  await server.start();
  const c = new tcp.SyncConnector({ address: `127.0.0.1:${server.port}` });
  bindProcessorHandler(c, "test.rpcltv", () => {});
  await c.start();
  try {
    assert.equal(((await rpc.call(c, new TestEchoACK({ Msg: "x" }))) as TestEchoACK).Msg, "re: x");
  } finally {
    await c.stop();
    await server.stop();
  }
});
