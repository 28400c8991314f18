/**
 * WSConnection's frameTimeoutMs: a peer that leaves a frame (or a
 * fragmented message) part way is closed with 1008 and a TimeoutError;
 * whole frames, however slow, never arm it; off by default.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TimeoutError } from "../src/errors.ts";
import { WSConnection } from "../src/transport/ws/ws_connection.ts";
import {
  clientFrame,
  closeCodeOf,
  concat,
  decodeFrames,
  MemoryConnection,
  microtasks,
  WsRecorder,
} from "./_ws.ts";
import { within } from "./_within.ts";

const T = { timeout: 10_000 };

async function open(frameTimeoutMs?: number) {
  const mem = new MemoryConnection();
  const ws = new WSConnection(mem, { role: "server", frameTimeoutMs });
  const rec = new WsRecorder();
  ws.setHandler(rec);
  await microtasks();
  return { mem, ws, rec };
}

const sentCloseCode = (mem: MemoryConnection) => {
  const close = decodeFrames(concat(...mem.writes)).find((f) => f.opcode === 0x8);
  return close ? closeCodeOf(close.payload) : undefined;
};

test(
  "a frame left part way past frameTimeoutMs closes with 1008 and a TimeoutError",
  T,
  async () => {
    const { mem, rec } = await open(50);
    const frame = clientFrame(0x2, "hello");
    mem.feed(frame.subarray(0, 4));
    const error = await within(rec.closed, 5000, "the close");
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /frameTimeoutMs 50/);
    assert.equal(sentCloseCode(mem), 1008);
  },
);

test("a fragmented message stalled between fragments counts as part way", T, async () => {
  const { mem, rec } = await open(50);
  mem.feed(clientFrame(0x2, "first", { fin: false }));
  const error = await within(rec.closed, 5000, "the close");
  assert.ok(error instanceof TimeoutError);
  assert.equal(rec.messages.length, 0);
});

test(
  "whole frames never arm the frame timeout, and without frameTimeoutMs nothing is cut",
  T,
  async () => {
    const slow = await open(30);
    for (let i = 0; i < 3; i++) {
      slow.mem.feed(clientFrame(0x2, `m${i}`));
      await new Promise((r) => setTimeout(r, 40)); // longer than the timeout, between whole frames
    }
    assert.equal(slow.rec.messages.length, 3);
    assert.equal(slow.rec.closes, 0);
    slow.ws.close(false);

    const off = await open();
    off.mem.feed(clientFrame(0x2, "hello").subarray(0, 3));
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(off.rec.closes, 0);
    off.ws.close(false);
  },
);
