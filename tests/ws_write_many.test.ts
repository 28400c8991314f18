/**
 * Many messages in one write: WSConnection.writeMessages frames a turn's
 * messages side by side into one write to the byte connection (what makes
 * pipelined WebSocket traffic cheap), and a session's outbox uses it when
 * the connection has it. Frames are built in one buffer shared by every
 * connection, also when a write calls back into another connection.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Connection } from "../src/transport/transport.ts";
import { WSConnection } from "../src/transport/ws/ws_connection.ts";
import { newOutbox } from "../src/session/_outbox.ts";
import { concat, decodeFrames, MemoryConnection, microtasks, toHex, WsRecorder } from "./_ws.ts";

const T = { timeout: 10_000 };

async function open(role: "server" | "client" = "server") {
  const mem = new MemoryConnection();
  const ws = new WSConnection(mem, { role });
  ws.setHandler(new WsRecorder());
  await microtasks();
  return { mem, ws };
}

/** `parts` laid end to end, with their end offsets. */
function batch(parts: Uint8Array[]): { data: Uint8Array; ends: number[] } {
  const ends: number[] = [];
  let at = 0;
  for (const p of parts) ends.push(at += p.length);
  return { data: concat(...parts), ends };
}

const msg = (n: number, k: number) => new Uint8Array(n).map((_, i) => (i * k + n) & 0xff);

test("writeMessages() sends one frame per message, all in one write", T, async () => {
  const { mem, ws } = await open();
  const parts = [msg(34, 1), msg(0, 2), msg(125, 3), msg(126, 4), msg(3000, 5)];
  const { data, ends } = batch(parts);
  assert.equal(ws.writeMessages(data, ends), true);
  assert.equal(mem.writes.length, 1);
  const frames = decodeFrames(mem.writes[0]);
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.fin, f.masked]),
    parts.map(() => [2, true, false]),
  );
  assert.deepEqual(frames.map((f) => f.payload), parts);
  ws.close(false);
});

test(
  "writeMessages() keeps the order around a large message, which is written as is",
  T,
  async () => {
    const { mem, ws } = await open();
    const big = msg(70_000, 7);
    const parts = [msg(10, 1), msg(20, 2), big, msg(30, 3)];
    const { data, ends } = batch(parts);
    ws.writeMessages(data, ends);
    assert.deepEqual(decodeFrames(concat(...mem.writes)).map((f) => f.payload), parts);
    assert.ok(
      mem.writes.some((w) => w.length === big.length),
      "the large payload is not copied behind its header",
    );
    assert.equal(toHex(mem.writes[1]), "827f0000000000011170");
    ws.close(false);
  },
);

test(
  "writeMessages() splits a long run of small frames into writes of about 32 KiB",
  T,
  async () => {
    const { mem, ws } = await open();
    const parts = Array.from({ length: 400 }, (_, i) => msg(1000, i));
    const { data, ends } = batch(parts);
    ws.writeMessages(data, ends);
    assert.ok(mem.writes.length > 1 && mem.writes.length < 20, `${mem.writes.length} writes`);
    assert.ok(mem.writes.every((w) => w.length < 48 * 1024));
    assert.deepEqual(decodeFrames(concat(...mem.writes)).map((f) => f.payload), parts);
    ws.close(false);
  },
);

test("writeMessages() on the client role masks each frame with its own key", T, async () => {
  const { mem, ws } = await open("client");
  const parts = [msg(40, 1), msg(40, 1), msg(20_000, 9)];
  const { data, ends } = batch(parts);
  ws.writeMessages(data, ends);
  const frames = decodeFrames(concat(...mem.writes));
  assert.ok(frames.every((f) => f.masked));
  assert.deepEqual(frames.map((f) => f.payload), parts);
  const first = mem.writes[0];
  assert.notEqual(toHex(first.subarray(2, 6)), toHex(first.subarray(48, 52)), "mask keys differ");
  ws.close(false);
});

test("writeMessages() passes on backpressure and writes nothing once closing", T, async () => {
  const { mem, ws } = await open();
  mem.writeResult = false;
  const { data, ends } = batch([msg(5, 1), msg(5, 2)]);
  assert.equal(ws.writeMessages(data, ends), false);
  mem.writeResult = true;
  ws.close();
  const before = mem.writes.length;
  assert.equal(ws.writeMessages(data, ends), false);
  assert.equal(mem.writes.length, before);
  ws.close(false);
});

test("a write that calls into another connection's writer gets frames built apart", T, async () => {
  const inner = await open();
  // A byte connection whose write sends on another WebSocket first (re-entrant use of the frame buffer).
  const outer = new MemoryConnection();
  const write = outer.write.bind(outer);
  outer.write = (data: Uint8Array) => {
    inner.ws.write(msg(50, 3));
    return write(data);
  };
  const ws = new WSConnection(outer, { role: "server" });
  ws.setHandler(new WsRecorder());
  await microtasks();
  const parts = [msg(60, 1), msg(70, 2)];
  const { data, ends } = batch(parts);
  ws.writeMessages(data, ends);
  assert.deepEqual(decodeFrames(concat(...outer.writes)).map((f) => f.payload), parts);
  assert.deepEqual(decodeFrames(concat(...inner.mem.writes)).map((f) => f.payload), [msg(50, 3)]);
  ws.close(false);
  inner.ws.close(false);
});

test("a message outbox flushes through writeMessages() when the connection has it, else write() per message", () => {
  const calls: string[] = [];
  const base = {
    localAddress: { host: "", port: 0 },
    remoteAddress: { host: "", port: 0 },
    messageOriented: true,
    bufferedAmount: 0,
    setHandler() {},
    setNoDelay() {},
    close() {},
  };
  const withMany: Connection = {
    ...base,
    write: (d) => (calls.push(`write ${d.length}`), true),
    writeMessages: (d, ends) => (calls.push(`writeMessages ${d.length} [${ends.join(",")}]`), true),
  };
  const plain: Connection = { ...base, write: (d) => (calls.push(`write ${d.length}`), true) };
  for (const conn of [withMany, plain]) {
    const outbox = newOutbox(true);
    for (const n of [3, 5, 2]) {
      const start = outbox.out.pos;
      outbox.out.bytes(new Uint8Array(n));
      outbox.commit(start);
    }
    assert.equal(outbox.flush(conn), true);
    assert.equal(outbox.out.pos, 0);
    assert.equal(outbox.flush(conn), true, "an empty flush writes nothing");
  }
  assert.deepEqual(calls, ["writeMessages 10 [3,8,10]", "write 3", "write 5", "write 2"]);
});
