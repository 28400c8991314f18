// gorillaws.ltv framing and addresses, against the Go-observed vectors:
// one message = uint16 LE MsgID + body, no length field.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ByteWriter,
  DecodeError,
  defineMessage,
  type MessageSink,
  PacketTooLargeError,
  parseWebSocketAddress,
  ProtocolError,
  protocolFamily,
  RawPacket,
  t,
  UnknownMessageError,
  WSMessageTransmitter,
} from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
import { hex, toHex } from "./_helpers.ts";

const transmitter = new WSMessageTransmitter();
// protoplus: the binary codec's own 16-bit byte counts would refuse 70,000 bytes.
const Big = defineMessage("gorillawstest.Big", { Data: t.bytes }, { codec: "protoplus" });

function encode(message: object): string {
  const out = new ByteWriter();
  transmitter.writeMessage(out, message);
  return toHex(out.view());
}

function receiver(maxPacketSize = 0): { receive(b: Uint8Array): void; got: object[] } {
  const got: object[] = [];
  const sink: MessageSink = { onRecvMessage: (m) => void got.push(m), receiving: true };
  const r = transmitter.newReceiver(sink, { maxPacketSize });
  return { receive: (b) => r.receive(b), got };
}

test("gorillaws.ltv writes MsgID + body with no length field (Go's 13-byte TestEchoACK payload)", () => {
  assert.equal(
    encode(new TestEchoACK({ Msg: "hello", Value: 1234 })),
    "41120500" + "68656c6c6f" + "d2040000",
  );
  assert.equal(encode(new RawPacket(0x1234, new Uint8Array([1, 2]))), "34120102");
});

test("gorillaws.ltv carries bodies over 65533 bytes (no 16-bit length to overflow)", () => {
  const big = new Big({ Data: new Uint8Array(70_000).fill(7) });
  const out = new ByteWriter();
  transmitter.writeMessage(out, big);
  const r = receiver();
  r.receive(out.view());
  assert.equal((r.got[0] as InstanceType<typeof Big>).Data.length, 70_000);
});

test("gorillaws.ltv decodes one whole message per chunk", () => {
  const r = receiver();
  r.receive(hex("41120500" + "68656c6c6f" + "d2040000"));
  const m = r.got[0] as InstanceType<typeof TestEchoACK>;
  assert.ok(m instanceof TestEchoACK);
  assert.deepEqual([m.Msg, m.Value], ["hello", 1234]);
});

test("gorillaws.ltv refuses short, unknown, oversized and undecodable messages", () => {
  assert.throws(
    () => receiver().receive(new Uint8Array(0)),
    (e: Error) => e instanceof ProtocolError && /packet short size/.test(e.message),
  );
  assert.throws(() => receiver().receive(new Uint8Array([0x41])), ProtocolError);
  assert.throws(() => receiver().receive(hex("3412")), UnknownMessageError);
  assert.throws(
    () => receiver(8).receive(hex("41120500" + "68656c6c6f" + "d2040000")),
    PacketTooLargeError,
  );
  assert.throws(() => receiver().receive(hex("4112" + "0900")), DecodeError);
});

test("ws addresses parse as cellnet writes them, IPv6 in brackets too", () => {
  assert.deepEqual(parseWebSocketAddress("http://127.0.0.1:18802/echo"), {
    host: "127.0.0.1",
    port: 18802,
    path: "/echo",
    scheme: "http",
  });
  assert.deepEqual(parseWebSocketAddress("ws://localhost:8080/ws/"), {
    host: "localhost",
    port: 8080,
    path: "/ws/",
    scheme: "ws",
  });
  assert.deepEqual(parseWebSocketAddress("127.0.0.1:18802/echo"), {
    host: "127.0.0.1",
    port: 18802,
    path: "/echo",
    scheme: "",
  });
  assert.deepEqual(parseWebSocketAddress("127.0.0.1:0"), {
    host: "127.0.0.1",
    port: 0,
    path: "",
    scheme: "",
  });
  assert.deepEqual(parseWebSocketAddress("wss://example.com/chat"), {
    host: "example.com",
    port: 443,
    path: "/chat",
    scheme: "wss",
  });
  assert.deepEqual(parseWebSocketAddress("ws://[::1]:9/x"), {
    host: "::1",
    port: 9,
    path: "/x",
    scheme: "ws",
  });
  assert.deepEqual(parseWebSocketAddress("http://:18802/chat?token=1"), {
    host: "0.0.0.0",
    port: 18802,
    path: "/chat",
    scheme: "http",
  });
  for (const bad of ["ftp://h:1/x", "127.0.0.1", "ws://h:99999/x", "h:1:2"]) {
    assert.throws(() => parseWebSocketAddress(bad), TypeError, bad);
  }
  assert.equal(protocolFamily("ws").parseAddress("ws://h:1/p").path, "/p");
});
