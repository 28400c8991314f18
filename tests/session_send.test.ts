import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  EncodeError,
  EventQueue,
  MessageDispatcher,
  RawPacket,
  SessionAccepted,
  SessionClosed,
  SlowConsumerError,
  tcp,
  TimeoutError,
  UnregisteredMessageError,
} from "../mod.ts";
import { EventLog, MemoryLogger, syncClient, T } from "./_helpers.ts";
import { Batch, ChatREQ, JsonNote, Ping, TestEchoACK } from "./_messages.ts";

async function pair(options: Partial<tcp.AcceptorOptions> = {}) {
  const serverLog = new EventLog();
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", ...options });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    serverLog.handler(ev);
    if (ev.message instanceof Ping || ev.message instanceof JsonNote) ev.session.send(ev.message);
  });
  await acceptor.start();
  const { client, log } = await syncClient(acceptor.port);
  const accepted = await serverLog.nextOf(SessionAccepted);
  const done = async () => {
    await client.stop();
    await acceptor.stop();
  };
  return { acceptor, client, log, serverLog, server: accepted.session, done };
}

test(
  "send() refuses a string over 65535 bytes with EncodeError and the session stays usable",
  T,
  async () => {
    const { client, log, done } = await pair();
    assert.throws(
      () => client.session.send(new ChatREQ({ Content: "x".repeat(70000) })),
      EncodeError,
    );
    assert.throws(
      () => client.session.send(new Batch({ Items: Array(70000).fill("") })),
      EncodeError,
    );
    client.session.send(new Ping({ Text: "after", Seq: 1 }));
    assert.equal((await log.nextOf(Ping)).message.Text, "after");
    await done();
  },
);

test("send() refuses a frame over 65535 bytes (body 65534)", T, async () => {
  const { client, log, done } = await pair();
  assert.throws(
    () => client.session.send(new ChatREQ({ Content: "x".repeat(65532) })),
    /exceeds 65535/,
  );
  client.session.send(new Ping({ Text: "ok", Seq: 2 }));
  assert.equal((await log.nextOf(Ping)).message.Seq, 2);
  await done();
});

test("the largest frame (Length 65535) goes through", T, async () => {
  const { client, log, done } = await pair();
  const text = "y".repeat(65535 - 2 - 2 - 4);
  client.session.send(new Ping({ Text: text, Seq: 3 }));
  const ev = await log.nextOf(Ping);
  assert.equal(ev.message.Text.length, text.length);
  await done();
});

test("send() of an unregistered class throws UnregisteredMessageError", T, async () => {
  const { client, done } = await pair();
  class Stranger {}
  assert.throws(() => client.session.send(new Stranger()), UnregisteredMessageError);
  await done();
});

test("a json-coded message travels like any other", T, async () => {
  const { client, log, done } = await pair();
  client.session.send(new JsonNote({ Msg: "json", Value: -5 }));
  const ev = await log.nextOf(JsonNote);
  assert.equal(ev.message.Msg, "json");
  assert.equal(ev.message.Value, -5);
  await done();
});

test("a RawPacket is delivered as the registered message of its id", T, async () => {
  const { client, serverLog, done } = await pair();
  client.session.send(
    new RawPacket(
      TestEchoACK.meta.id,
      new Uint8Array([5, 0, 104, 101, 108, 108, 111, 210, 4, 0, 0]),
    ),
  );
  const ev = await serverLog.nextOf(TestEchoACK);
  assert.equal(ev.message.Msg, "hello");
  assert.equal(ev.message.Value, 1234);
  await done();
});

test(
  "close() gives SessionClosed(Manual) locally and IO remotely; send after close returns false",
  T,
  async () => {
    const { log, serverLog, server, done } = await pair();
    server.close();
    const local = await serverLog.nextOf(SessionClosed);
    assert.equal(local.message.reason, CloseReason.Manual);
    assert.equal(server.send(new Ping()), false);
    const remote = await log.nextOf(SessionClosed);
    assert.equal(remote.message.reason, CloseReason.IO);
    await done();
  },
);

test("messages queued before close() are still written", T, async () => {
  const { log, server, done } = await pair();
  for (let i = 0; i < 100; i++) server.send(new Ping({ Text: "bye", Seq: i }));
  server.close();
  for (let i = 0; i < 100; i++) assert.equal((await log.nextOf(Ping)).message.Seq, i);
  await log.nextOf(SessionClosed);
  await done();
});

test("a send queue over its high-water mark closes the session as SlowConsumer", T, async () => {
  const { serverLog, server, done } = await pair({ sendQueueHighWater: 1000 });
  let queued = 0;
  while (server.send(new Ping({ Text: "z".repeat(100), Seq: queued }))) queued++;
  assert.ok(queued < 10);
  const ev = await serverLog.nextOf(SessionClosed);
  assert.equal(ev.message.reason, CloseReason.SlowConsumer);
  assert.ok(ev.message.error instanceof SlowConsumerError);
  await done();
});

test(
  "with the reject policy a send over the high-water mark throws and the session stays open",
  T,
  async () => {
    const { log, server, done } = await pair({
      sendQueueHighWater: 1000,
      slowConsumerPolicy: "reject",
    });
    let queued = 0;
    assert.throws(() => {
      for (;;) {
        server.send(new Ping({ Text: "z".repeat(100), Seq: queued }));
        queued++;
      }
    }, SlowConsumerError);
    assert.ok(server.isOpen);
    for (let i = 0; i < queued; i++) assert.equal((await log.nextOf(Ping)).message.Seq, i);
    server.send(new Ping({ Text: "later", Seq: 99 }));
    assert.equal((await log.nextOf(Ping)).message.Seq, 99);
    await done();
  },
);

test("a session that receives nothing within readTimeoutMs closes with Timeout", T, async () => {
  const { serverLog, log, done } = await pair({ readTimeoutMs: 100 });
  const ev = await serverLog.nextOf(SessionClosed);
  assert.equal(ev.message.reason, CloseReason.Timeout);
  assert.ok(ev.message.error instanceof TimeoutError);
  await log.nextOf(SessionClosed);
  await done();
});

test("a throwing handler is logged and the session keeps working", T, async () => {
  const logger = new MemoryLogger();
  for (const queue of [undefined, new EventQueue({ logger }).startLoop()]) {
    const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", logger, queue });
    let calls = 0;
    bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
      if (!(ev.message instanceof Ping)) return;
      if (++calls === 1) throw new Error("handler bug");
      ev.session.send(ev.message);
    });
    await acceptor.start();
    const { client, log } = await syncClient(acceptor.port);
    client.session.send(new Ping({ Seq: 1 }));
    client.session.send(new Ping({ Seq: 2 }));
    assert.equal((await log.nextOf(Ping)).message.Seq, 2);
    assert.ok(logger.lines.some((l) => l.includes("handler bug")));
    logger.lines.length = 0;
    await client.stop();
    await acceptor.stop();
  }
});

test("MessageDispatcher routes by class and falls back to otherwise", T, async () => {
  const seen: string[] = [];
  const d = new MessageDispatcher()
    .on(Ping, (msg) => void seen.push(`ping ${msg.Seq}`))
    .on(Ping, (msg) => void seen.push(`again ${msg.Seq}`))
    .otherwise((ev) => void seen.push(`other ${(ev.message as object).constructor.name}`));
  const session = {} as never;
  const reply = () => false;
  d.dispatch({ session, message: new Ping({ Seq: 3 }), reply });
  d.dispatch({ session, message: new ChatREQ(), reply });
  d.off(Ping);
  d.dispatch({ session, message: new Ping({ Seq: 4 }), reply });
  assert.deepEqual(seen, ["ping 3", "again 3", "other ChatREQ", "other Ping"]);
});

test("acceptor maxConnections refuses connections beyond the limit", T, async () => {
  const { acceptor, done } = await pair({ maxConnections: 1 });
  const extra = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
  const log = new EventLog();
  bindProcessorHandler(extra, "tcp.ltv", log.handler);
  await extra.start();
  await log.nextOf(SessionClosed);
  assert.equal(acceptor.rejectedConnections, 1);
  assert.equal(acceptor.sessionCount(), 1);
  await extra.stop();
  await done();
});
