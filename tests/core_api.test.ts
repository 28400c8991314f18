// The core's one-call APIs and seams: encodeMessage/decodeMessage, the
// transport registry, typed createPeer, and the message-oriented outbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type Connection,
  type ConnectionHandler,
  createPeer,
  DecodeError,
  decodeMessage,
  encodeMessage,
  loadTransport,
  NotRegisteredError,
  protocolFamily,
  registeredTransports,
  registerTransport,
  RuntimeNotSupportedError,
  SessionConnected,
  stringHash,
  stringHashBytes,
  tcp,
  type Transport,
  UnknownMessageError,
  UnregisteredMessageError,
} from "../mod.ts";
import { EventLog, T, toHex, within } from "./_helpers.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";

test("encodeMessage gives Go's id and body; decodeMessage reads them back", () => {
  const { id, body } = encodeMessage(new TestEchoACK({ Msg: "hello", Value: 1234 }));
  assert.equal(id, 4673);
  assert.equal(toHex(body), "050068656c6c6fd2040000");
  const back = decodeMessage(id, body) as InstanceType<typeof TestEchoACK>;
  assert.ok(back instanceof TestEchoACK);
  assert.deepEqual({ Msg: back.Msg, Value: back.Value }, { Msg: "hello", Value: 1234 });
});

test("encodeMessage and decodeMessage refuse what is not a registered message or body", () => {
  class Unregistered {}
  assert.throws(() => encodeMessage(new Unregistered()), UnregisteredMessageError);
  assert.throws(() => decodeMessage(0, new Uint8Array()), UnknownMessageError);
  assert.throws(
    () => decodeMessage(stringHash("cellnet.SessionClosed"), new Uint8Array()),
    UnknownMessageError,
  );
  assert.throws(() => decodeMessage(4673, new Uint8Array([9, 0, 104])), DecodeError);
});

test("stringHashBytes hashes UTF-8 bytes like stringHash hashes the string", () => {
  for (const name of ["main.TestEchoACK", "proto.ChatREQ", "名字.消息"]) {
    assert.equal(stringHashBytes(new TextEncoder().encode(name)), stringHash(name));
  }
});

test("the tcp protocol family parses cellnet addresses and unknown protocols are named", () => {
  assert.deepEqual(protocolFamily("tcp").parseAddress("[::1]:18801"), {
    host: "::1",
    port: 18801,
    path: "",
    scheme: "",
  });
  assert.deepEqual(protocolFamily("tcp").parseAddress(":80"), {
    host: "0.0.0.0",
    port: 80,
    path: "",
    scheme: "",
  });
  assert.throws(() => protocolFamily("tcp").parseAddress("ws://127.0.0.1:80/x"), TypeError);
  assert.throws(() => protocolFamily("nope"), NotRegisteredError);
});

test("loadTransport names what is registered when a runtime has no transport", async () => {
  await assert.rejects(loadTransport("no-such-runtime"), (e: Error) => {
    assert.ok(e instanceof RuntimeNotSupportedError);
    assert.match(e.message, /no tcp transport registered for "no-such-runtime"/);
    assert.match(e.message, /tcp\/node/);
    return true;
  });
  assert.ok(registeredTransports().some(([p, r]) => p === "tcp" && r === "node"));
});

test("registerTransport makes a transport available under a name of one's own", async () => {
  const base = await loadTransport();
  registerTransport("tcp", "core-api-test", () => Promise.resolve(base));
  assert.equal(await loadTransport("core-api-test"), base);
  registerTransport("tcp", "core-api-broken", () => Promise.reject(new Error("boom")));
  await assert.rejects(loadTransport("core-api-broken"), RuntimeNotSupportedError);
});

test("createPeer builds the registered class for a built-in name", () => {
  const peer = createPeer("tcp.Connector", { address: "127.0.0.1:1", reconnectIntervalMs: 5 });
  assert.ok(peer instanceof tcp.Connector);
  assert.equal(peer.reconnectIntervalMs, 5);
  assert.throws(
    () => createPeer("tcp.Nothing" as "tcp.Acceptor", { address: "127.0.0.1:1" }),
    NotRegisteredError,
  );
});

/**
 * The real TCP transport with each connection's writes recorded, reporting
 * itself message-oriented or not: the session must then write one message
 * per write, or coalesce.
 */
function recordingTransport(
  base: Transport,
  messageOriented: boolean,
  writes: number[],
): Transport {
  return {
    name: `recording-${messageOriented}`,
    listen: (o) => base.listen(o),
    async connect(o) {
      const conn = await base.connect(o);
      const wrapped: Connection = {
        localAddress: conn.localAddress,
        remoteAddress: conn.remoteAddress,
        messageOriented,
        get bufferedAmount() {
          return conn.bufferedAmount;
        },
        setHandler: (h: ConnectionHandler) => conn.setHandler(h),
        write(data: Uint8Array) {
          writes.push(data.length);
          return conn.write(data);
        },
        setNoDelay: (v) => conn.setNoDelay(v),
        close: (g) => conn.close(g),
      };
      if (conn.defer) wrapped.defer = (cb) => conn.defer!(cb);
      return wrapped;
    },
  };
}

async function writesFor(
  messageOriented: boolean,
  beforeConnect: number,
  afterConnect: number,
): Promise<number[]> {
  const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const got = new EventLog();
  bindProcessorHandler(server, "tcp.ltv", got.handler);
  await server.start();
  const writes: number[] = [];
  const transport = recordingTransport(await loadTransport(), messageOriented, writes);
  const client = new tcp.Connector({ address: `127.0.0.1:${server.port}`, transport });
  const log = new EventLog();
  bindProcessorHandler(client, "tcp.ltv", log.handler);
  try {
    for (let i = 0; i < beforeConnect; i++) {
      client.session.send(new TestEchoACK({ Msg: "early", Value: i }));
    }
    await client.start();
    await log.nextOf(SessionConnected);
    for (let i = 0; i < afterConnect; i++) {
      client.session.send(new TestEchoACK({ Msg: "late", Value: i }));
    }
    for (let i = 0; i < beforeConnect + afterConnect; i++) await got.nextOf(TestEchoACK);
    return writes;
  } finally {
    await client.stop();
    await server.stop();
  }
}

test(
  "a message-oriented connection gets one write per message, a stream one write per turn",
  T,
  async () => {
    const frameSize = 4 + encodeMessage(new TestEchoACK({ Msg: "late", Value: 0 })).body.length;
    const message = await writesFor(true, 0, 5);
    assert.deepEqual(message, [frameSize, frameSize, frameSize, frameSize, frameSize]);
    const stream = await writesFor(false, 0, 5);
    assert.deepEqual(stream, [5 * frameSize]);
  },
);

test(
  "messages kept before connect keep their boundaries on a message-oriented connection",
  T,
  async () => {
    const early = 4 + encodeMessage(new TestEchoACK({ Msg: "early", Value: 0 })).body.length;
    const writes = await within(writesFor(true, 3, 0), 10_000, "three early messages");
    assert.deepEqual(writes, [early, early, early]);
    const stream = await writesFor(false, 3, 0);
    assert.deepEqual(stream, [3 * early]);
  },
);
