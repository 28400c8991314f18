// The adapters' byte FIFO (src/transport/tcp/_byte_queue.ts): order, partial
// consumption, and reuse of its one buffer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ByteQueue } from "../src/transport/tcp/_byte_queue.ts";

const bytes = (from: number, n: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

test("a ByteQueue gives back what was pushed, in order, across partial consumes", () => {
  const q = new ByteQueue();
  assert.equal(q.length, 0);
  assert.equal(q.view().length, 0);
  let pushed = 0;
  let taken = 0;
  // Pushes and consumes of awkward sizes, so the buffer both slides and grows.
  for (let i = 0; i < 500; i++) {
    const n = 1 + ((i * 7919) % 9000);
    const data = bytes(pushed, n);
    q.push(data);
    data.fill(0); // the queue keeps its own copy
    pushed += n;
    const view = q.view();
    assert.equal(view.length, pushed - taken);
    for (let k = 0; k < view.length; k += 997) assert.equal(view[k], (taken + k) & 0xff);
    const take = Math.min(view.length, (i * 104729) % 12000);
    q.consume(take);
    taken += take;
    assert.equal(q.length, pushed - taken);
  }
  q.consume(q.length);
  assert.equal(q.length, 0);
});

test("a ByteQueue reuses its buffer for steady traffic instead of allocating per push", () => {
  const q = new ByteQueue();
  q.push(bytes(0, 16 * 1024));
  const first = q.view().buffer;
  for (let i = 0; i < 1000; i++) {
    q.consume(q.length);
    q.push(bytes(i, 16 * 1024));
    assert.equal(q.view().buffer, first, `push ${i} kept the buffer`);
  }
});

test("a ByteQueue drops a buffer grown past 64 KiB once it empties", () => {
  const q = new ByteQueue();
  q.push(new Uint8Array(1024 * 1024));
  const big = q.view().buffer;
  q.consume(q.length);
  q.push(new Uint8Array(10));
  assert.notEqual(q.view().buffer, big, "the burst's buffer is not pinned");
  assert.ok(q.view().buffer.byteLength <= 64 * 1024);
  q.clear();
  assert.equal(q.length, 0);
});
