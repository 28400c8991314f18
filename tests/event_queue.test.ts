import { test } from "node:test";
import assert from "node:assert/strict";
import { EventQueue } from "../mod.ts";
import { MemoryLogger, within } from "./_helpers.ts";

test("EventQueue runs posted callbacks in order", { timeout: 5000 }, async () => {
  const q = new EventQueue().startLoop();
  const seen: number[] = [];
  for (let i = 0; i < 100; i++) q.post(() => seen.push(i));
  q.stopLoop();
  await within(q.wait(), 1000, "wait");
  assert.deepEqual(seen, [...Array(100).keys()]);
});

test("EventQueue holds callbacks until startLoop", { timeout: 5000 }, async () => {
  const q = new EventQueue();
  let ran = false;
  q.post(() => (ran = true));
  await Promise.resolve();
  assert.equal(ran, false);
  assert.equal(q.count, 1);
  q.startLoop().stopLoop();
  await within(q.wait(), 1000, "wait");
  assert.equal(ran, true);
});

test(
  "EventQueue reports a throwing or rejecting callback and keeps going",
  { timeout: 5000 },
  async () => {
    const logger = new MemoryLogger();
    const q = new EventQueue({ logger });
    const errors: unknown[] = [];
    let twoErrors!: () => void;
    const reported = new Promise<void>((r) => (twoErrors = r));
    q.onError = (e) => {
      if (errors.push(e) === 2) twoErrors();
    };
    q.startLoop();
    const seen: string[] = [];
    q.post(() => {
      throw new Error("boom");
    });
    q.post(() => Promise.reject(new Error("async boom")));
    q.post(() => seen.push("after"));
    q.stopLoop();
    await within(q.wait(), 1000, "wait");
    await within(reported, 1000, "both errors reported");
    assert.deepEqual(seen, ["after"]);
    assert.equal(errors.length, 2);
    assert.equal(
      logger.lines.filter((l) => l.startsWith("ERROR queued callback failed")).length,
      2,
    );
  },
);

test(
  "EventQueue.wait resolves at once when the loop is not running",
  { timeout: 5000 },
  async () => {
    await within(new EventQueue().wait(), 100, "wait");
  },
);
