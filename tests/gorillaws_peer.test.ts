// gorillaws peers end to end over real loopback sockets: our acceptor with
// our connector, and with an independent client (the ws package).
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import {
  bindProcessorHandler,
  encodeMessage,
  gorillaws,
  rpc,
  SessionClosed,
  SessionConnected,
} from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
import { EventLog, T, within } from "./_helpers.ts";

async function echoServer(path = "/echo"): Promise<gorillaws.Acceptor> {
  const acceptor = new gorillaws.Acceptor({ address: `http://127.0.0.1:0${path}` });
  bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
    if (ev.message instanceof TestEchoACK) ev.reply(ev.message);
  });
  await acceptor.start();
  return acceptor;
}

test(
  "gorillaws.Connector and Acceptor echo a message, ids and close reasons as for TCP",
  T,
  async () => {
    const server = await echoServer();
    const client = new gorillaws.SyncConnector({ address: `ws://127.0.0.1:${server.port}/echo` });
    const log = new EventLog();
    bindProcessorHandler(client, "gorillaws.ltv", log.handler);
    try {
      await client.start();
      await log.nextOf(SessionConnected);
      client.session.send(new TestEchoACK({ Msg: "hello", Value: 1234 }));
      const ev = await log.nextOf(TestEchoACK);
      assert.deepEqual([ev.message.Msg, ev.message.Value], ["hello", 1234]);
      assert.equal(server.sessionCount(), 1);
      client.session.close();
      const closed = await log.nextOf(SessionClosed);
      assert.equal(closed.message.reason, 1 /* Manual */);
    } finally {
      await client.stop();
      await server.stop();
    }
  },
);

test(
  "a ws package client gets one binary message of MsgID + body back per message",
  T,
  async () => {
    const server = await echoServer();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/echo`);
    try {
      await within(
        new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject))),
        5000,
        "open",
      );
      const { id, body } = encodeMessage(new TestEchoACK({ Msg: "from ws", Value: 7 }));
      const payload = new Uint8Array(2 + body.length);
      payload[0] = id & 0xff;
      payload[1] = id >> 8;
      payload.set(body, 2);
      const reply = within(
        new Promise<Uint8Array>((resolve) =>
          ws.once("message", (d) => resolve(new Uint8Array(d as Buffer)))
        ),
        5000,
        "echo",
      );
      ws.send(payload);
      assert.deepEqual(await reply, payload);
    } finally {
      ws.close();
      await server.stop();
    }
  },
);

test("rpc works over gorillaws.ltv too (Go's gorillaws has no rpc hooker)", T, async () => {
  const server = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/rpc" });
  bindProcessorHandler(server, "gorillaws.ltv", (ev) => {
    if (ev.message instanceof TestEchoACK) {
      ev.reply(new TestEchoACK({ Msg: `re: ${ev.message.Msg}`, Value: ev.message.Value + 1 }));
    }
  });
  await server.start();
  const client = new gorillaws.SyncConnector({ address: `ws://127.0.0.1:${server.port}/rpc` });
  const log = new EventLog();
  bindProcessorHandler(client, "gorillaws.ltv", log.handler);
  try {
    await client.start();
    const reply = await rpc.call(client, new TestEchoACK({ Msg: "ping", Value: 41 }), {
      timeoutMs: 5000,
    });
    assert.ok(reply instanceof TestEchoACK);
    assert.deepEqual([reply.Msg, reply.Value], ["re: ping", 42]);
    assert.equal(
      log.events.some((e) => e.message instanceof TestEchoACK),
      false,
      "the reply went to the call, not the handler",
    );
  } finally {
    await client.stop();
    await server.stop();
  }
});
