// relay over tcp.ltv: every relay vector byte for byte both ways, the
// broadcaster before the handler, unknown inner ids, and cellnet's relay test
// (client → agent → backend → agent's broadcaster → client).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type Event,
  EventQueue,
  relay,
  type Session,
  SessionAccepted,
  SessionConnected,
  tcp,
} from "../mod.ts";
import { EventLog, hex, MemoryLogger, RawClient, T, toHex, within } from "./_helpers.ts";
import { TestEchoACK } from "./_ext_messages.ts";
import { ext, type RelayVector } from "./_ext_vectors.ts";
import { RawServer } from "./_raw_server.ts";

const byLabel = (label: string): RelayVector => ext.relay.find((v) => v.label === label)!;
const echo = (v: { Msg: string; Value: number }) => new TestEchoACK(v);

// Our call for each Go relay.Relay(...) of the vectors.
const calls: [string, (s: Session) => boolean][] = [
  ["none (no payload, no pass-through)", (s) => relay.relay(s)],
  ["Int64 positive", (s) => relay.relay(s, undefined, { int64: 10001n })],
  ["Int64 negative", (s) => relay.relay(s, undefined, { int64: -10001 })],
  [
    "Int64Slice with negatives",
    (s) => relay.relay(s, undefined, { int64Slice: [1n, -1n, 10001n, -10001n, 0n] }),
  ],
  ["Str", (s) => relay.relay(s, undefined, { str: "route:大厅" })],
  ["Bytes", (s) => relay.relay(s, undefined, { bytes: hex("deadbeef") })],
  ["message only", (s) => relay.relay(s, echo({ Msg: "hello", Value: 1234 }))],
  [
    "message + Int64 10001",
    (s) => relay.relay(s, echo({ Msg: "hello", Value: 1234 }), { int64: 10001 }),
  ],
  [
    "message + all pass-through kinds (server replies)",
    (s) =>
      relay.relay(s, echo({ Msg: "reply please", Value: -5 }), {
        int64: -7n,
        int64Slice: [-1n, 2n],
        str: "s",
        bytes: hex("010203"),
      }),
  ],
];

test("relay.relay writes Go's RelayACK frame for every relay vector", T, async () => {
  assert.equal(calls.length, ext.relay.length - 1);
  const raw = await RawServer.start();
  const c = new tcp.SyncConnector({ name: "agent", address: `127.0.0.1:${raw.port}` });
  bindProcessorHandler(c, "tcp.ltv", () => {});
  await c.start();
  try {
    const conn = await raw.accept();
    for (const [label, send] of calls) {
      const v = byLabel(label);
      assert.ok(send(c.session), label);
      assert.equal(await conn.take(v.frameHex.length / 2), v.frameHex, label);
    }
    // A connector is a target too.
    relay.relay(c, undefined, { int64: 10001n });
    assert.equal(await conn.take(7), byLabel("Int64 positive").frameHex);
  } finally {
    await c.stop();
    await raw.close();
  }
});

test(
  "Go's RelayACK frames reach the handler as relay.RecvMsgEvent, after the broadcaster",
  T,
  async () => {
    const server = new tcp.Acceptor({ name: "backend", address: "127.0.0.1:0" });
    const order: string[] = [];
    const log = new EventLog();
    bindProcessorHandler(server, "tcp.ltv", (ev) => {
      if (ev instanceof relay.RecvMsgEvent) order.push("handler");
      log.handler(ev);
    });
    relay.setPeerBroadcaster(server, () => order.push("broadcaster"));
    await server.start();
    const raw = await RawClient.connect(server.port!);
    try {
      for (const [label] of calls) {
        const v = byLabel(label);
        order.length = 0;
        raw.write(v.frameHex);
        const ev = await log.next((e) => e instanceof relay.RecvMsgEvent, label);
        assert.ok(ev instanceof relay.RecvMsgEvent);
        const want = v.receivedAs!;
        assert.deepEqual(order, ["broadcaster", "handler"], label);
        if (want["Message()"] === null) assert.equal(ev.message, undefined, label);
        else assert.deepEqual({ ...(ev.message as TestEchoACK) }, v.inner!.value, label);
        assert.equal(ev.passThrough.int64, BigInt(want["PassThroughAsInt64()"]), label);
        assert.deepEqual(
          ev.passThrough.int64Slice,
          want["PassThroughAsInt64Slice()"].map(BigInt),
          label,
        );
        assert.equal(ev.passThrough.str, want["PassThroughAsString()"], label);
        assert.equal(toHex(ev.passThrough.bytes), v.value.Bytes, label);
      }
    } finally {
      relay.setPeerBroadcaster(server, undefined);
      await raw.close();
      await server.stop();
    }
  },
);

test(
  "reply() relays back with the same Int64, Int64Slice and Str but not Bytes, as Go's frame",
  T,
  async () => {
    const v = byLabel("message + all pass-through kinds (server replies)");
    const back = ext.relay.find((r) => r.label.startsWith("RecvMsgEvent.Reply"))!;
    const server = new tcp.Acceptor({ name: "backend", address: "127.0.0.1:0" });
    bindProcessorHandler(server, "tcp.ltv", (ev) => {
      if (ev instanceof relay.RecvMsgEvent) ev.reply(echo({ Msg: "pong", Value: 9 }));
    });
    await server.start();
    const raw = await RawClient.connect(server.port!);
    try {
      raw.write(v.frameHex);
      assert.equal(toHex(await raw.waitBytes(back.frameHex.length / 2)), back.frameHex);
    } finally {
      await raw.close();
      await server.stop();
    }
  },
);

test(
  "a RelayACK with an unknown inner id is logged and dropped and the session stays open",
  T,
  async () => {
    const bad = ext.relayBehaviour.find((b) => b.frameHex)!;
    const logger = new MemoryLogger();
    const server = new tcp.Acceptor({ name: "backend", address: "127.0.0.1:0", logger });
    const log = new EventLog();
    let broadcasts = 0;
    bindProcessorHandler(server, "tcp.ltv", log.handler);
    relay.setPeerBroadcaster(server, () => broadcasts++);
    await server.start();
    const raw = await RawClient.connect(server.port!);
    try {
      raw.write(bad.frameHex!);
      raw.write(byLabel("Int64 positive").frameHex);
      const ev = await log.next((e) => e instanceof relay.RecvMsgEvent, "the next relay");
      assert.equal((ev as relay.RecvMsgEvent).passThrough.int64, 10001n);
      assert.equal(log.events.filter((e) => e instanceof relay.RecvMsgEvent).length, 1);
      assert.equal(broadcasts, 1);
      assert.ok(
        logger.lines.includes("WARN relay.ResoleveInboundEvent: msg not exists, '4660'"),
        logger.lines.join("\n"),
      );
    } finally {
      relay.setPeerBroadcaster(server, undefined);
      await raw.close();
      await server.stop();
    }
  },
);

test(
  "the process-wide broadcaster runs on the peer's queue for peers without their own",
  T,
  async () => {
    const queue = new EventQueue().startLoop();
    const server = new tcp.Acceptor({ name: "backend", address: "127.0.0.1:0", queue });
    const seen: string[] = [];
    bindProcessorHandler(server, "tcp.ltv", (ev) => {
      if (ev instanceof relay.RecvMsgEvent) seen.push(`handler ${ev.passThrough.str}`);
    });
    const done = new Promise<void>((resolve) => {
      relay.setBroadcaster((ev) => {
        seen.push(`broadcaster ${ev.session.peer.name} ${ev.passThrough.str}`);
        queue.post(resolve);
      });
    });
    await server.start();
    const raw = await RawClient.connect(server.port!);
    try {
      raw.write(byLabel("Str").frameHex);
      await within(done, 5000, "broadcaster");
      assert.deepEqual(seen, ["broadcaster backend route:大厅", "handler route:大厅"]);
    } finally {
      relay.setBroadcaster(undefined);
      await raw.close();
      await server.stop();
      queue.stopLoop();
    }
  },
);

test("relay.relay refuses a bad target and a fractional pass-through number", () => {
  assert.throws(() => relay.relay(null as never), TypeError);
  const c = new tcp.Connector({ address: "127.0.0.1:1" });
  assert.throws(() => relay.relay(c, undefined, { int64: 1.5 }), TypeError);
});

// cellnet tests/relay_test.go: the agent relays each client message to the
// backend with the client's session id (+ mask); the backend relays it back
// to that id, or to every id it knows (Int64Slice); the agent's broadcaster
// routes them to client sessions.
test(
  "gateway pattern: client → agent → backend → agent's broadcaster → one client or many",
  T,
  async () => {
    const MASK = 10000;
    const agentForClients = new tcp.Acceptor({ name: "client->agent", address: "127.0.0.1:0" });
    const agentForBackend = new tcp.Acceptor({ name: "backend->agent", address: "127.0.0.1:0" });
    let backendSession: Session | undefined;
    const backendUp = new EventLog();
    bindProcessorHandler(agentForBackend, "tcp.ltv", (ev) => {
      if (ev.message instanceof SessionAccepted) backendSession = ev.session;
      backendUp.handler(ev);
    });
    bindProcessorHandler(agentForClients, "tcp.ltv", (ev) => {
      if (ev.message instanceof TestEchoACK && backendSession) {
        relay.relay(backendSession, ev.message, { int64: ev.session.id + MASK });
      }
    });
    relay.setPeerBroadcaster(agentForBackend, (ev) => {
      const ids = ev.passThrough.int64Slice.length > 0
        ? ev.passThrough.int64Slice
        : [ev.passThrough.int64];
      for (const id of ids) {
        const s = agentForClients.getSession(Number(id) - MASK);
        if (s && ev.message) s.send(ev.message);
      }
    });
    await agentForClients.start();
    await agentForBackend.start();

    const backend = new tcp.Connector({
      name: "backend",
      address: `127.0.0.1:${agentForBackend.port}`,
    });
    const known = new Set<bigint>();
    bindProcessorHandler(backend, "tcp.ltv", (ev) => {
      if (!(ev instanceof relay.RecvMsgEvent) || !(ev.message instanceof TestEchoACK)) return;
      known.add(ev.passThrough.int64);
      if (ev.message.Msg === "to all") relay.relay(backend, ev.message, { int64Slice: [...known] });
      else relay.relay(backend, ev.message, { int64: ev.passThrough.int64 }); // Go's test: Relay(…, PassThroughAsInt64())
    });
    await backend.start();
    await backendUp.nextOf(SessionAccepted);

    const clients: { peer: tcp.Connector; log: EventLog }[] = [];
    for (let i = 0; i < 2; i++) {
      const peer = new tcp.Connector({
        name: `client${i}`,
        address: `127.0.0.1:${agentForClients.port}`,
      });
      const log = new EventLog();
      bindProcessorHandler(peer, "tcp.ltv", log.handler);
      await peer.start();
      await log.nextOf(SessionConnected);
      clients.push({ peer, log });
    }
    try {
      const [a, b] = clients;
      a.peer.session.send(new TestEchoACK({ Msg: "hello", Value: 1234 }));
      const got = await a.log.nextOf(TestEchoACK);
      assert.deepEqual({ ...got.message }, { Msg: "hello", Value: 1234 });
      b.peer.session.send(new TestEchoACK({ Msg: "hi from b", Value: 2 }));
      assert.equal((await b.log.nextOf(TestEchoACK)).message.Msg, "hi from b");
      // Both are known to the backend now: one message, relayed to both.
      b.peer.session.send(new TestEchoACK({ Msg: "to all", Value: 3 }));
      for (const c of clients) {
        assert.equal(
          (await c.log.nextOf(TestEchoACK)).message.Msg,
          "to all",
        );
      }
      const only = (log: EventLog) =>
        log.events.filter((e: Event) => e.message instanceof TestEchoACK).map((e) =>
          (e.message as TestEchoACK).Msg
        );
      assert.deepEqual(only(a.log), ["hello", "to all"]);
      assert.deepEqual(only(b.log), ["hi from b", "to all"]);
    } finally {
      relay.setPeerBroadcaster(agentForBackend, undefined);
      for (const c of clients) await c.peer.stop();
      await backend.stop();
      await agentForClients.stop();
      await agentForBackend.stop();
    }
  },
);
