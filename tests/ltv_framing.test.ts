// The tcp.ltv framing, byte for byte: frames split at every byte and many
// frames per read, parsed by the transmitter and over real sockets.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  ByteWriter,
  EncodeError,
  LTVTransmitter,
  RawPacket,
  SessionAccepted,
  tcp,
} from "../mod.ts";
import { concat, EventLog, frame, hex, RawClient, T, toHex } from "./_helpers.ts";
import { ChatREQ, Ping, TestEchoACK } from "./_messages.ts";

function collect() {
  const got: object[] = [];
  const sink = { receiving: true, onRecvMessage: (m: object) => got.push(m) };
  const receiver = new LTVTransmitter().newReceiver(sink, { maxPacketSize: 0 });
  return { got, receiver };
}

test("writeMessage emits cellnet's frame for TestEchoACK{hello,1234}", () => {
  const out = new ByteWriter();
  new LTVTransmitter().writeMessage(out, new TestEchoACK({ Msg: "hello", Value: 1234 }));
  assert.equal(toHex(out.view()), "0d004112050068656c6c6fd2040000");
});

test("an empty-body frame (Length 2) decodes to the zero message", () => {
  const out = new ByteWriter();
  new LTVTransmitter().writeMessage(out, new ChatREQ());
  assert.equal(toHex(out.view()), "04006a3f0000");
  const { got, receiver } = collect();
  receiver.receive(hex("02006a3f"));
  assert.equal((got[0] as ChatREQ).Content, "");
});

test("RawPacket is framed with the caller's id and bytes", () => {
  const out = new ByteWriter();
  new LTVTransmitter().writeMessage(out, new RawPacket(0x1241, hex("050068656c6c6fd2040000")));
  assert.equal(toHex(out.view()), "0d004112050068656c6c6fd2040000");
});

test("receive() parses frames split at every byte", () => {
  const frames = concat(
    hex("0d004112050068656c6c6fd2040000"),
    hex("02006a3f"),
    hex("0d004112050068656c6c6fd2040000"),
  );
  for (let cut = 0; cut <= frames.length; cut++) {
    const { got, receiver } = collect();
    receiver.receive(frames.subarray(0, cut));
    receiver.receive(frames.subarray(cut));
    assert.equal(got.length, 3, `cut at ${cut}`);
  }
  const { got, receiver } = collect();
  for (let i = 0; i < frames.length; i++) receiver.receive(frames.subarray(i, i + 1));
  assert.equal(got.length, 3);
  assert.equal((got[0] as TestEchoACK).Msg, "hello");
  assert.equal((got[2] as TestEchoACK).Value, 1234);
  assert.equal(receiver.partialBytes, 0);
});

test("receive() parses many frames in one read", () => {
  const out = new ByteWriter();
  const tx = new LTVTransmitter();
  for (let i = 0; i < 1000; i++) tx.writeMessage(out, new Ping({ Text: `n${i}`, Seq: i }));
  const { got, receiver } = collect();
  receiver.receive(out.view());
  assert.equal(got.length, 1000);
  assert.equal((got[999] as Ping).Seq, 999);
});

test("writeMessage refuses a frame over 65535 bytes and leaves the writer usable", () => {
  const out = new ByteWriter();
  const tx = new LTVTransmitter();
  assert.throws(() => tx.writeMessage(out, new RawPacket(1, new Uint8Array(65534))), EncodeError);
});

test("frames written one byte at a time over a real socket all arrive", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const log = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", log.handler);
  await acceptor.start();
  const raw = await RawClient.connect(acceptor.port);
  await log.nextOf(SessionAccepted);
  const bytes = concat(
    frame(Ping.meta.id, hex("0300616263" + "07000000")),
    hex("0d004112050068656c6c6fd2040000"),
  );
  for (let i = 0; i < bytes.length; i++) raw.write(bytes.subarray(i, i + 1));
  const p = await log.nextOf(Ping);
  assert.equal(p.message.Text, "abc");
  assert.equal(p.message.Seq, 7);
  assert.equal((await log.nextOf(TestEchoACK)).message.Msg, "hello");
  await raw.close();
  await acceptor.stop();
});
