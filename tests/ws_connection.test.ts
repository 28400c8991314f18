/**
 * WSConnection as a Connection: closing handshakes both ways, close codes
 * exposed, onClose exactly once with the right error, backpressure passed
 * through, messages held until setHandler, text delivery, the client role's
 * masking, pings from this side.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WebSocketCloseError, WebSocketProtocolError } from "../src/errors.ts";
import { WSConnection, type WSConnectionOptions } from "../src/transport/ws/ws_connection.ts";
import {
  clientFrame,
  closeBody,
  closeCodeOf,
  concat,
  decodeFrames,
  MemoryConnection,
  microtasks,
  toHex,
  WsRecorder,
} from "./_ws.ts";

const T = { timeout: 10_000 };
const te = new TextEncoder();

async function open(options: Partial<WSConnectionOptions> = {}) {
  const mem = new MemoryConnection();
  const ws = new WSConnection(mem, { role: "server", ...options });
  const rec = new WsRecorder();
  rec.isText = () => ws.lastMessageIsText;
  ws.setHandler(rec);
  await microtasks();
  return { mem, ws, rec };
}

const frames = (mem: MemoryConnection) => decodeFrames(concat(...mem.writes));

test(
  "close() sends close 1000, waits for the peer's close, then ends TCP with no error",
  T,
  async () => {
    const { mem, ws, rec } = await open();
    ws.close();
    assert.equal(mem.outHex, "880203e8");
    assert.equal(mem.state, "open", "TCP stays up until the peer answers");
    assert.equal(ws.write(te.encode("late")), false, "no writes once closing");
    mem.feed(clientFrame(0x2, "ignored"));
    mem.feed(clientFrame(0x8, closeBody(1000)));
    assert.equal(mem.state, "ended");
    assert.equal(await rec.closed, undefined);
    assert.equal(rec.messages.length, 0, "nothing is delivered after close()");
    assert.equal(ws.closeCodeSent, 1000);
    assert.equal(ws.closeCodeReceived, 1000);
    assert.equal(mem.outHex, "880203e8", "the peer's close is not answered twice");
  },
);

test("close() ends TCP after closeTimeoutMs when the peer never answers", T, async () => {
  const { mem, ws, rec } = await open({ closeTimeoutMs: 30 });
  ws.close();
  await mem.closed;
  assert.equal(mem.state, "ended");
  assert.equal(await rec.closed, undefined);
  assert.equal(ws.closeCodeReceived, undefined);
});

test("closeWith(1001, reason) sends that code and reason, as on server stop", T, async () => {
  const { mem, ws } = await open();
  ws.closeWith(1001, "server stopping");
  const [f] = frames(mem);
  assert.equal(f.opcode, 8);
  assert.equal(closeCodeOf(f.payload), 1001);
  assert.equal(new TextDecoder().decode(f.payload.subarray(2)), "server stopping");
  ws.closeWith(1000);
  assert.equal(frames(mem).length, 1, "a second close is a no-op");
  ws.close(false);
});

test(
  "closeWith() refuses reserved codes and a reason over 123 bytes with RangeError",
  T,
  async () => {
    const { ws } = await open();
    for (const code of [999, 1004, 1005, 1006, 1015, 2000, 5000]) {
      assert.throws(() => ws.closeWith(code), RangeError, String(code));
    }
    assert.throws(() => ws.closeWith(1000, "é".repeat(62)), RangeError);
    ws.closeWith(1000, "é".repeat(61) + "x");
    ws.close(false);
  },
);

test("close(false) destroys at once without a close frame; onClose comes once", T, async () => {
  const { mem, ws, rec } = await open();
  ws.close(false);
  ws.close(false);
  ws.close();
  assert.equal(mem.state, "destroyed");
  assert.equal(mem.writes.length, 0);
  await rec.closed;
  await microtasks();
  assert.equal(rec.closes, 1);
  assert.equal(ws.closeCodeSent, undefined);
});

test(
  "write() sends one binary frame per call and returns the underlying backpressure",
  T,
  async () => {
    const { mem, ws } = await open();
    assert.equal(ws.write(te.encode("a")), true);
    mem.writeResult = false;
    assert.equal(ws.write(te.encode("b")), false);
    mem.bufferedAmount = 123;
    assert.equal(ws.bufferedAmount, 123);
    assert.equal(ws.messageOriented, true);
    assert.deepEqual(frames(mem).map((f) => [f.opcode, f.fin, toHex(f.payload)]), [
      [2, true, "61"],
      [2, true, "62"],
    ]);
    ws.close(false);
  },
);

test(
  "a server write over 64 KiB goes out as header + payload, unmasked, and decodes whole",
  T,
  async () => {
    const { mem, ws } = await open();
    const big = new Uint8Array(200_000).map((_, i) => i * 7);
    ws.write(big);
    const [f] = frames(mem);
    assert.equal(f.masked, false);
    assert.deepEqual(f.payload, big);
    assert.equal(toHex(mem.writes[0]), "827f0000000000030d40");
    ws.close(false);
  },
);

test("onDrain of the byte connection reaches the handler", T, async () => {
  const { mem, ws } = await open();
  let drains = 0;
  ws.setHandler({ onData() {}, onDrain: () => drains++, onClose() {} });
  mem.handler!.onDrain();
  assert.equal(drains, 1);
  ws.close(false);
});

test(
  "messages that arrive before setHandler (and handshake leftovers) are delivered after it",
  T,
  async () => {
    const mem = new MemoryConnection();
    const ws = new WSConnection(mem, { role: "server", head: clientFrame(0x2, "first") });
    mem.feed(clientFrame(0x2, "second"));
    const rec = new WsRecorder();
    ws.setHandler(rec);
    assert.equal(rec.messages.length, 0, "nothing is delivered inside setHandler");
    await rec.count(2);
    assert.deepEqual(rec.messages.map((m) => new TextDecoder().decode(m)), ["first", "second"]);
    ws.close(false);
  },
);

test(
  'with text: "deliver" text messages arrive as bytes and lastMessageIsText says so',
  T,
  async () => {
    const { mem, ws, rec } = await open({ text: "deliver" });
    mem.feed(concat(clientFrame(0x1, "{}"), clientFrame(0x2, "ab")));
    assert.deepEqual(rec.texts, [true, false]);
    assert.equal(new TextDecoder().decode(rec.messages[0]), "{}");
    ws.close(false);
  },
);

test(
  "TCP ending without a close frame closes with no error and no close code (as Go peers do)",
  T,
  async () => {
    const { mem, ws, rec } = await open();
    mem.end();
    assert.equal(await rec.closed, undefined);
    assert.equal(ws.closeCodeReceived, undefined);
    assert.equal(rec.closes, 1);
  },
);

test("a socket error reaches onClose unchanged", T, async () => {
  const { mem, rec } = await open();
  const reset = new Error("ECONNRESET");
  mem.end(reset);
  assert.equal(await rec.closed, reset);
});

test(
  "a peer closing with an error code gives WebSocketCloseError with its code and reason",
  T,
  async () => {
    const { mem, ws, rec } = await open();
    mem.feed(clientFrame(0x8, closeBody(4001, "kicked")));
    const error = await rec.closed;
    assert.ok(error instanceof WebSocketCloseError);
    assert.equal(error.code, 4001);
    assert.equal(error.reason, "kicked");
    assert.equal(ws.closeReasonReceived, "kicked");
    assert.equal(mem.outHex, "88020fa1", "the code is echoed without the reason");
  },
);

test(
  "a protocol violation gives WebSocketProtocolError (a ProtocolError) with the close code sent",
  T,
  async () => {
    const { mem, ws, rec } = await open();
    mem.feed(clientFrame(0x2, "x", { mask: null }));
    const error = await rec.closed;
    assert.ok(error instanceof WebSocketProtocolError);
    assert.equal(error.name, "WebSocketProtocolError");
    assert.equal(error.code, 1002);
    assert.equal(ws.closeCodeSent, 1002);
    assert.match(error.message, /not masked/);
  },
);

test("after this side sent its close, a ping gets no pong", T, async () => {
  const { mem, ws } = await open();
  ws.closeWith(1001);
  mem.feed(clientFrame(0x9, "p"));
  assert.deepEqual(frames(mem).map((f) => f.opcode), [8]);
  ws.close(false);
});

test(
  "ping() sends a ping and onPong gets the peer's pong; over 125 bytes is a RangeError",
  T,
  async () => {
    const pongs: string[] = [];
    const { mem, ws } = await open({ onPong: (p) => pongs.push(toHex(p)) });
    assert.equal(ws.ping(te.encode("hb")), true);
    assert.equal(mem.outHex, "89026862");
    mem.feed(clientFrame(0xa, "hb"));
    assert.deepEqual(pongs, ["6862"]);
    assert.throws(() => ws.ping(new Uint8Array(126)), RangeError);
    ws.close(false);
  },
);

test(
  "the client role masks every frame with a fresh key and refuses masked server frames",
  T,
  async () => {
    const { mem, ws, rec } = await open({ role: "client" });
    ws.write(te.encode("hello"));
    ws.write(te.encode("hello"));
    ws.write(new Uint8Array(70_000).fill(9));
    const out = frames(mem);
    assert.ok(out.every((f) => f.masked));
    assert.equal(new TextDecoder().decode(out[0].payload), "hello");
    assert.deepEqual(out[2].payload, new Uint8Array(70_000).fill(9));
    assert.notEqual(
      toHex(mem.writes[0].subarray(2, 6)),
      toHex(mem.writes[1].subarray(2, 6)),
      "mask keys differ",
    );
    mem.feed(clientFrame(0x2, "srv", { mask: null }));
    assert.equal(new TextDecoder().decode(rec.messages[0]), "srv");
    mem.feed(clientFrame(0x2, "bad"));
    const error = await rec.closed;
    assert.ok(error instanceof WebSocketProtocolError && error.code === 1002);
    assert.match(error.message, /server frame is masked/);
  },
);

test(
  "a handler throwing on a held message closes the connection and onClose gets the error",
  T,
  async () => {
    const mem = new MemoryConnection();
    const ws = new WSConnection(mem, { role: "server", head: clientFrame(0x2, "boom") });
    const boom = new Error("handler bug");
    let closedWith: Error | undefined;
    const closed = new Promise<void>((resolve) => {
      ws.setHandler({
        onData() {
          throw boom;
        },
        onDrain() {},
        onClose(e) {
          closedWith = e;
          resolve();
        },
      });
    });
    await closed;
    assert.equal(closedWith, boom);
    assert.equal(mem.state, "destroyed");
  },
);

test(
  "more than maxPacketSize + 64 KiB arriving before setHandler is cut off with 1009",
  T,
  async () => {
    const mem = new MemoryConnection();
    const ws = new WSConnection(mem, { role: "server", maxPacketSize: 1000 });
    mem.feed(new Uint8Array(1000 + 64 * 1024));
    assert.equal(ws.closeCodeSent, undefined);
    mem.feed(new Uint8Array(1));
    assert.equal(ws.closeCodeSent, 1009);
    const rec = new WsRecorder();
    ws.setHandler(rec);
    const error = await rec.closed;
    assert.ok(error instanceof WebSocketProtocolError && error.code === 1009);
    assert.equal(rec.messages.length, 0);
  },
);
