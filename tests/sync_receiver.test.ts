// SyncReceiver: await a peer's next event, or its next message of a type.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type Event,
  LimitError,
  type Session,
  SessionAccepted,
  SessionConnected,
  SyncReceiver,
  tcp,
  TimeoutError,
} from "../mod.ts";
import { T } from "./_helpers.ts";
import { PlainACK, TestEchoACK } from "./_ext_messages.ts";

async function echoPair() {
  const server = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
  bindProcessorHandler(server, "tcp.ltv", (ev) => {
    if (ev.message instanceof TestEchoACK || ev.message instanceof PlainACK) ev.reply(ev.message);
  });
  await server.start();
  const client = new tcp.Connector({ name: "bot", address: `127.0.0.1:${server.port}` });
  const rv = new SyncReceiver(client);
  bindProcessorHandler(client, "tcp.ltv", rv.callback);
  await client.start();
  return { server, client, rv };
}

test("SyncReceiver.recv returns the peer's events in order", T, async () => {
  const { server, client, rv } = await echoPair();
  try {
    assert.ok((await rv.recv(5000)).message instanceof SessionConnected);
    client.session.send(new TestEchoACK({ Msg: "one" }));
    client.session.send(new PlainACK({ Text: "two" }));
    const a = await rv.recv(5000);
    const b = await rv.recv(5000);
    assert.equal((a.message as TestEchoACK).Msg, "one");
    assert.equal((b.message as PlainACK).Text, "two");
    assert.equal(rv.eventCallback(), rv.callback);
  } finally {
    await client.stop();
    await server.stop();
  }
});

test(
  "SyncReceiver.recvType skips other events until a message of the type arrives",
  T,
  async () => {
    const { server, client, rv } = await echoPair();
    try {
      client.session.send(new PlainACK({ Text: "skipped" }));
      client.session.send(new TestEchoACK({ Msg: "wanted", Value: 7 }));
      const got = await rv.recvType(TestEchoACK, 5000);
      assert.equal(got.Msg, "wanted");
      assert.equal(rv.buffered, 0);
    } finally {
      await client.stop();
      await server.stop();
    }
  },
);

test("SyncReceiver rejects with TimeoutError when nothing fitting comes in time", T, async () => {
  const { server, client, rv } = await echoPair();
  try {
    await rv.recvType(SessionConnected, 5000);
    const started = Date.now();
    await assert.rejects(
      rv.recv(40),
      (e: unknown) =>
        e instanceof TimeoutError && /no an event|within 40 ms/.test((e as Error).message),
    );
    assert.ok(Date.now() - started >= 35);
    client.session.send(new PlainACK({ Text: "not it" }));
    await assert.rejects(rv.recvType(TestEchoACK, 60), TimeoutError);
    await assert.rejects(Promise.all([rv.recv(50), rv.recv(50)]), TypeError);
  } finally {
    await client.stop();
    await server.stop();
  }
});

test("SyncReceiver keeps at most maxBuffered events and then says so with LimitError", async () => {
  const rv = new SyncReceiver(undefined, { maxBuffered: 2 });
  const ev = (n: number): Event => ({
    session: {} as Session,
    message: new TestEchoACK({ Value: n }),
    reply: () => true,
  });
  for (let i = 0; i < 4; i++) rv.callback(ev(i));
  assert.equal(rv.buffered, 2);
  assert.equal(((await rv.recv(10)).message as TestEchoACK).Value, 0);
  assert.equal(((await rv.recv(10)).message as TestEchoACK).Value, 1);
  await assert.rejects(rv.recv(10), LimitError);
  rv.callback({ session: {} as Session, message: new SessionAccepted(), reply: () => true });
  assert.ok((await rv.recv(10)).message instanceof SessionAccepted);
});
