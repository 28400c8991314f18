// Spec §5: every kind of bad input closes only the offending session, with a
// reason and an error the handler can see and a log line naming the session;
// the acceptor and every other session keep working.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  DecodeError,
  EventQueue,
  PacketTooLargeError,
  ProtocolError,
  SessionAccepted,
  SessionClosed,
  tcp,
  UnknownMessageError,
} from "../mod.ts";
import {
  concat,
  EventLog,
  frame,
  hex,
  MemoryLogger,
  RawClient,
  syncClient,
  T,
} from "./_helpers.ts";
import { Ping, pingBody } from "./_messages.ts";

async function setup(maxPacketSize = 0, queue?: EventQueue) {
  const logger = new MemoryLogger();
  const log = new EventLog();
  const acceptor = new tcp.Acceptor({
    name: "victim",
    address: "127.0.0.1:0",
    maxPacketSize,
    logger,
    queue,
  });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    log.handler(ev);
    if (ev.message instanceof Ping) ev.session.send(ev.message);
  });
  await acceptor.start();
  const { client: good, log: goodLog } = await syncClient(acceptor.port);
  await log.nextOf(SessionAccepted);
  let seq = 0;
  const stillServes = async () => {
    const n = ++seq;
    good.session.send(new Ping({ Text: "still there?", Seq: n }));
    const ev = await goodLog.nextOf(Ping);
    assert.equal(ev.message.Seq, n);
  };
  const done = async () => {
    assert.ok(good.isConnected, "the well-behaved session must stay connected");
    await good.stop();
    await acceptor.stop();
  };
  return { acceptor, log, logger, stillServes, done };
}

const pingId = Ping.meta.id;

const cases: {
  name: string;
  bytes: () => Uint8Array;
  error: new (...a: never[]) => Error;
  text: RegExp;
  max?: number;
}[] = [
  { name: "Length 0", bytes: () => hex("0000"), error: ProtocolError, text: /short msgid/ },
  { name: "Length 1", bytes: () => hex("0100ff"), error: ProtocolError, text: /short msgid/ },
  {
    name: "an unknown message id",
    bytes: () => frame(0x1234, hex("00")),
    error: UnknownMessageError,
    text: /msg not exists, '4660'/,
  },
  {
    name: "message id 0",
    bytes: () => frame(0),
    error: UnknownMessageError,
    text: /msg not exists, '0'/,
  },
  {
    name: "a system message id (cellnet.SessionClosed)",
    bytes: () => hex("0600d39c01000000"),
    error: UnknownMessageError,
    text: /msg not exists, '40147'/,
  },
  {
    name: "a body shorter than the type's minimum",
    bytes: () => frame(pingId, hex("0100")),
    error: DecodeError,
    text: /out of data/,
  },
  {
    name: "a string length running past the body",
    bytes: () => frame(pingId, hex("ff00414141410000")),
    error: DecodeError,
    text: /test\.Ping/,
  },
  {
    name: "a Length at maxPacketSize",
    bytes: () => concat(hex("4000"), new Uint8Array(64)),
    error: PacketTooLargeError,
    text: /packet over size: Length 64 >= maxPacketSize 64/,
    max: 64,
  },
  {
    name: "a huge Length before its body arrives",
    bytes: () => hex("ffff4112"),
    error: PacketTooLargeError,
    text: /Length 65535/,
    max: 1024,
  },
];

for (const c of cases) {
  test(`bad input: ${c.name} closes only that session with ProtocolError`, T, async () => {
    const { acceptor, log, logger, stillServes, done } = await setup(c.max);
    const raw = await RawClient.connect(acceptor.port);
    const accepted = await log.nextOf(SessionAccepted);
    raw.write(c.bytes());
    const closed = await log.next(
      (ev) => ev.message instanceof SessionClosed && ev.session === accepted.session,
      "SessionClosed of the bad session",
    );
    const msg = closed.message as SessionClosed;
    assert.equal(msg.reason, CloseReason.ProtocolError);
    assert.ok(
      msg.error instanceof c.error,
      `expected ${c.error.name}, got ${msg.error?.name}: ${msg.error?.message}`,
    );
    assert.match(msg.error!.message, c.text);
    const line = logger.lines.find((l) =>
      l.includes(`session ${accepted.session.id} `) && l.includes("ProtocolError")
    );
    assert.ok(line, `a log line names the session: ${logger.lines.join("\n")}`);
    assert.ok(line!.includes("127.0.0.1:"), "the log line names the remote address");
    await raw.closed;
    await stillServes();
    await raw.close();
    await done();
  });
}

test(
  "bad input: a frame under maxPacketSize is accepted (the check is Length >= max)",
  T,
  async () => {
    const { acceptor, stillServes, done } = await setup(64);
    const port = acceptor.port;
    const raw = await RawClient.connect(port);
    const body = pingBody("x".repeat(55), 9); // Length = 2 + 2 + 55 + 4 = 63
    raw.write(frame(pingId, body));
    const got = await raw.waitBytes(65);
    assert.equal(got[0] | (got[1] << 8), 63);
    await stillServes();
    await raw.close();
    await done();
  },
);

test(
  "bad input: a connection that closes inside a frame reports IO with an unexpected EOF error",
  T,
  async () => {
    const { acceptor, log, stillServes, done } = await setup();
    const raw = await RawClient.connect(acceptor.port);
    const accepted = await log.nextOf(SessionAccepted);
    raw.write(hex("05"));
    await raw.close();
    const closed = await log.next((ev) =>
      ev.message instanceof SessionClosed && ev.session === accepted.session
    );
    const msg = closed.message as SessionClosed;
    assert.equal(msg.reason, CloseReason.IO);
    assert.match(msg.error?.message ?? "", /unexpected EOF/);
    await stillServes();
    await done();
  },
);

test("bad input: random bytes from many clients never break the acceptor", T, async () => {
  const { acceptor, stillServes, done } = await setup(4096);
  const port = acceptor.port;
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 20; i++) {
    const raw = await RawClient.connect(port);
    const junk = new Uint8Array(1 + Math.floor(rnd() * 300));
    for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(rnd() * 256);
    raw.write(junk);
    await raw.close();
  }
  await stillServes();
  await done();
});

test("a reply queued before a fatal frame is written before the close", T, async () => {
  for (const queue of [undefined, new EventQueue().startLoop()]) {
    const { acceptor, stillServes, done } = await setup(0, queue);
    const raw = await RawClient.connect(acceptor.port);
    const good = frame(pingId, pingBody("last words", 5));
    raw.write(concat(good, frame(0x1234)));
    const got = await raw.waitBytes(good.length);
    assert.deepEqual(got.subarray(0, good.length), good);
    await raw.closed;
    await stillServes();
    await done();
  }
});
