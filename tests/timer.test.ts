// timer.after and timer.Loop: once on the queue, stoppers, fixed-delay ticks,
// stop/resume without Go's quirks, errors reported, delays past setTimeout's
// limit. Schedules are driven by a fake timer API (no waiting to prove that
// something did not happen); a few tests use real short delays.
import { test } from "node:test";
import assert from "node:assert/strict";

import { after } from "../src/timer/after.ts";
import { Loop } from "../src/timer/loop.ts";
import * as timer from "../src/timer/mod.ts";
import { LongTimeout, MAX_TIMEOUT_MS, type TimerApi, timers } from "../src/timer/_long_timeout.ts";
import { EventQueue } from "../src/queue/event_queue.ts";
import { getDefaultLogger, type Logger, setDefaultLogger } from "../src/log.ts";
import { within } from "./_within.ts";

const opts = { timeout: 10_000 };

/** A timer API whose timeouts fire only when the test says so. */
class FakeTimers implements TimerApi {
  readonly pending = new Map<number, () => void>();
  /** Every delay asked for, in order. */
  readonly delays: number[] = [];
  readonly cleared: number[] = [];
  #next = 1;
  setTimeout = (fn: () => void, ms: number): number => {
    const id = this.#next++;
    this.pending.set(id, fn);
    this.delays.push(ms);
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.cleared.push(handle as number);
    this.pending.delete(handle as number);
  };
  /** Fire the oldest pending timeout. */
  fire(): void {
    const first = this.pending.entries().next();
    assert.ok(!first.done, "a timeout is pending");
    const [id, fn] = first.value;
    this.pending.delete(id);
    fn();
  }
}

/** Run `fn` with the platform timers replaced by fake ones. */
async function withFakeTimers(fn: (fake: FakeTimers) => void | Promise<void>): Promise<void> {
  const real = { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout };
  const fake = new FakeTimers();
  timers.setTimeout = fake.setTimeout;
  timers.clearTimeout = fake.clearTimeout;
  try {
    await fn(fake);
  } finally {
    timers.setTimeout = real.setTimeout;
    timers.clearTimeout = real.clearTimeout;
  }
}

/** Resolves when everything posted to `queue` before it has run. */
function drained(queue: EventQueue): Promise<void> {
  return within(new Promise<void>((resolve) => queue.post(resolve)), 5000, "the queue to drain");
}

/** A queue whose handler errors land in `errors`. */
function recordingQueue(): { queue: EventQueue; errors: unknown[] } {
  const errors: unknown[] = [];
  const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  const queue = new EventQueue({ logger: quiet });
  queue.onError = (e) => errors.push(e);
  return { queue, errors };
}

/** Run `fn` with the default logger recording error lines. */
async function withLoggedErrors(fn: (lines: unknown[]) => Promise<void> | void): Promise<void> {
  const saved = getDefaultLogger();
  const lines: unknown[] = [];
  setDefaultLogger({ debug() {}, info() {}, warn() {}, error: (_m, e) => lines.push(e) });
  try {
    await fn(lines);
  } finally {
    setDefaultLogger(saved);
  }
}

// ---- after -------------------------------------------------------------------

test("timer/mod.ts exports after and Loop", () => {
  assert.equal(timer.after, after);
  assert.equal(timer.Loop, Loop);
});

test(
  "after() posts the callback to the queue when the delay elapses, and it runs once with its context",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const queue = new EventQueue();
      const got: string[] = [];
      after(queue, 50, (ctx) => got.push(ctx), "the context");
      assert.deepEqual(fake.delays, [50]);
      fake.fire();
      assert.equal(queue.count, 1, "posted, not run: the queue is not started");
      assert.deepEqual(got, []);
      queue.startLoop();
      await drained(queue);
      assert.deepEqual(got, ["the context"]);
      assert.equal(fake.pending.size, 0);
      queue.stopLoop();
    });
  },
);

test("after() without a queue runs the callback in the timer's own task", async () => {
  await withFakeTimers((fake) => {
    let ran = 0;
    after(undefined, 10, () => ran++);
    assert.equal(ran, 0);
    fake.fire();
    assert.equal(ran, 1);
  });
});

test("stop() before the delay prevents the callback and returns true; a second stop() returns false", async () => {
  await withFakeTimers((fake) => {
    let ran = 0;
    const stopper = after(undefined, 10, () => ran++);
    assert.equal(stopper.stop(), true);
    assert.equal(stopper.stop(), false);
    assert.equal(fake.pending.size, 0, "the timeout was cleared");
    assert.equal(ran, 0);
  });
});

test(
  "stop() after the callback was posted to the queue but before it ran still prevents it",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const queue = new EventQueue();
      let ran = 0;
      const stopper = after(queue, 10, () => ran++);
      fake.fire();
      assert.equal(queue.count, 1);
      assert.equal(stopper.stop(), true);
      queue.startLoop();
      await drained(queue);
      assert.equal(ran, 0);
      queue.stopLoop();
    });
  },
);

test("stop() after the callback ran returns false", async () => {
  await withFakeTimers((fake) => {
    const stopper = after(undefined, 10, () => {});
    fake.fire();
    assert.equal(stopper.stop(), false);
  });
});

test(
  "errors from an after() callback are reported to the queue, or to the default logger without one",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const { queue, errors } = recordingQueue();
      queue.startLoop();
      after(queue, 1, () => {
        throw new Error("on the queue");
      });
      fake.fire();
      await drained(queue);
      assert.deepEqual(errors.map((e) => (e as Error).message), ["on the queue"]);
      queue.stopLoop();
      await withLoggedErrors(async (lines) => {
        after(undefined, 1, () => {
          throw new Error("no queue");
        });
        fake.fire();
        let rejected!: () => void;
        const logged = new Promise<void>((r) => (rejected = r));
        after(undefined, 1, async () => {
          queueMicrotask(rejected);
          throw new Error("async, no queue");
        });
        fake.fire();
        await logged;
        await Promise.resolve();
        assert.deepEqual(lines.map((e) => (e as Error).message), ["no queue", "async, no queue"]);
      });
    });
  },
);

test("after() rejects a callback that is not a function and a NaN delay", () => {
  assert.throws(() => after(undefined, 1, "nope" as never), TypeError);
  assert.throws(() => after(undefined, NaN, () => {}), RangeError);
});

test("after() with a real short delay runs the callback on a started queue", opts, async () => {
  const queue = new EventQueue().startLoop();
  const ctx = await within(
    new Promise<number>((resolve) => after(queue, 5, resolve, 42)),
    5000,
    "after 5 ms",
  );
  assert.equal(ctx, 42);
  queue.stopLoop();
  await queue.wait();
});

// ---- delays past setTimeout's limit -----------------------------------------

test("a delay past 2^31 - 1 ms is chained in steps of at most 2^31 - 1 ms and fires once at the end", () => {
  const fake = new FakeTimers();
  let ran = 0;
  const t = new LongTimeout(() => ran++, fake);
  t.schedule(2 * MAX_TIMEOUT_MS + 5);
  for (let i = 0; i < 2; i++) {
    fake.fire();
    assert.equal(ran, 0);
    assert.equal(t.pending, true);
  }
  fake.fire();
  assert.equal(ran, 1);
  assert.equal(t.pending, false);
  assert.deepEqual(fake.delays, [MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, 5]);
  assert.equal(fake.pending.size, 0);
});

test("cancelling a chained delay clears the current step; re-scheduling replaces the pending delay", () => {
  const fake = new FakeTimers();
  let ran = 0;
  const t = new LongTimeout(() => ran++, fake);
  t.schedule(3 * MAX_TIMEOUT_MS);
  fake.fire();
  assert.equal(t.cancel(), true);
  assert.deepEqual(fake.cleared, [2]);
  assert.equal(t.cancel(), false);
  assert.equal(fake.pending.size, 0);
  t.schedule(7);
  t.schedule(-3); // negative counts as 0
  assert.deepEqual(fake.delays.slice(-2), [7, 0]);
  assert.equal(fake.pending.size, 1);
  fake.fire();
  assert.equal(ran, 1);
});

test("an Infinity delay never fires", () => {
  const fake = new FakeTimers();
  let ran = 0;
  new LongTimeout(() => ran++, fake).schedule(Infinity);
  for (let i = 0; i < 100; i++) fake.fire();
  assert.equal(ran, 0);
  assert.ok(fake.delays.every((d) => d === MAX_TIMEOUT_MS));
});

test("after() and Loop use the chaining for delays past 2^31 - 1 ms", async () => {
  await withFakeTimers((fake) => {
    const stopper = after(undefined, 2 ** 40, () => {});
    const loop = new Loop(undefined, 2 ** 33, () => {});
    loop.start();
    assert.deepEqual(fake.delays, [MAX_TIMEOUT_MS, MAX_TIMEOUT_MS]);
    assert.equal(stopper.stop(), true);
    loop.stop();
    assert.equal(fake.pending.size, 0);
  });
});

test("a LongTimeout with a real short delay fires", opts, async () => {
  await within(
    new Promise<void>((resolve) => new LongTimeout(resolve).schedule(1)),
    5000,
    "a 1 ms LongTimeout",
  );
});

// ---- Loop --------------------------------------------------------------------

test(
  "a Loop is fixed-delay: the next tick is armed only after the callback has returned",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const queue = new EventQueue().startLoop();
      const pendingDuringTick: number[] = [];
      const loop = new Loop(queue, 100, () => {
        pendingDuringTick.push(fake.pending.size);
      });
      assert.equal(loop.start(), true);
      assert.deepEqual(fake.delays, [100]);
      for (let i = 1; i <= 3; i++) {
        fake.fire();
        await drained(queue);
        assert.equal(fake.pending.size, 1, `tick ${i} re-armed`);
      }
      assert.deepEqual(pendingDuringTick, [0, 0, 0]);
      assert.deepEqual(fake.delays, [100, 100, 100, 100]);
      loop.stop();
      queue.stopLoop();
    });
  },
);

test("a Loop ticks on real timers until stop() inside the callback", opts, async () => {
  const queue = new EventQueue().startLoop();
  let ticks = 0;
  await within(
    new Promise<void>((resolve) => {
      const loop = new Loop(queue, 2, (l) => {
        if (++ticks === 5) {
          l.stop();
          resolve();
        }
      });
      loop.start();
    }),
    5000,
    "5 ticks",
  );
  assert.equal(ticks, 5);
  queue.stopLoop();
  await queue.wait();
});

test("stop() inside the callback arms no further tick", opts, async () => {
  await withFakeTimers(async (fake) => {
    const queue = new EventQueue().startLoop();
    let ticks = 0;
    const loop = new Loop(queue, 10, (l) => {
      if (++ticks === 2) l.stop();
    });
    loop.start();
    fake.fire();
    await drained(queue);
    fake.fire();
    await drained(queue);
    assert.equal(ticks, 2);
    assert.equal(loop.running, false);
    assert.equal(fake.pending.size, 0);
    queue.stopLoop();
  });
});

test("stop() from outside cancels the armed tick", async () => {
  await withFakeTimers((fake) => {
    let ticks = 0;
    const loop = new Loop(undefined, 10, () => ticks++);
    loop.start();
    fake.fire();
    assert.equal(ticks, 1);
    assert.equal(fake.pending.size, 1);
    loop.stop();
    assert.equal(fake.pending.size, 0);
    assert.equal(loop.running, false);
    assert.equal(ticks, 1);
  });
});

test(
  "stop() from outside drops a tick already posted to the queue (Go still runs it once)",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const queue = new EventQueue();
      let ticks = 0;
      const loop = new Loop(queue, 10, () => ticks++);
      loop.start();
      fake.fire();
      assert.equal(queue.count, 1);
      loop.stop();
      queue.startLoop();
      await drained(queue);
      assert.equal(ticks, 0);
      assert.equal(fake.pending.size, 0);
      queue.stopLoop();
    });
  },
);

test("resume() restarts a loop stopped from outside and one that stopped itself (Go's stays dead)", async () => {
  await withFakeTimers((fake) => {
    let ticks = 0;
    const loop = new Loop(undefined, 10, (l) => {
      if (++ticks === 2) l.stop();
    });
    loop.start();
    fake.fire();
    loop.stop();
    loop.resume();
    assert.equal(loop.running, true);
    assert.equal(fake.pending.size, 1);
    fake.fire(); // tick 2 stops the loop
    assert.equal(loop.running, false);
    assert.equal(fake.pending.size, 0);
    loop.resume();
    assert.equal(loop.running, true);
    fake.fire();
    assert.equal(ticks, 3);
    assert.equal(fake.pending.size, 1);
    loop.resume(); // running: nothing more armed
    assert.equal(fake.pending.size, 1);
    loop.stop();
  });
});

test("resume() after stop() on real timers brings the next tick", opts, async () => {
  const queue = new EventQueue().startLoop();
  let ticks = 0;
  let next!: () => void;
  const loop = new Loop(queue, 2, (l) => {
    ticks++;
    l.stop();
    next();
  });
  for (let i = 1; i <= 2; i++) {
    await within(
      new Promise<void>((resolve) => {
        next = resolve;
        if (i === 1) loop.start();
        else loop.resume();
      }),
      5000,
      `tick ${i}`,
    );
  }
  assert.equal(ticks, 2);
  queue.stopLoop();
  await queue.wait();
});

test("stop() then start() before the armed tick runs makes one chain, not two", opts, async () => {
  await withFakeTimers(async (fake) => {
    const queue = new EventQueue();
    let ticks = 0;
    const loop = new Loop(queue, 10, () => ticks++);
    loop.start();
    fake.fire(); // tick posted, not run
    loop.stop();
    assert.equal(loop.start(), true);
    queue.startLoop();
    await drained(queue);
    assert.equal(ticks, 0, "the stale tick was dropped");
    assert.equal(fake.pending.size, 1);
    fake.fire();
    await drained(queue);
    assert.equal(ticks, 1);
    assert.equal(fake.pending.size, 1, "one chain");
    loop.stop();
    queue.stopLoop();
  });
});

test("start() returns false while running; a zero, negative or NaN interval is a RangeError", async () => {
  await withFakeTimers(() => {
    const loop = new Loop(undefined, 10, () => {});
    assert.equal(loop.running, false);
    assert.equal(loop.start(), true);
    assert.equal(loop.start(), false);
    loop.stop();
    for (const ms of [0, -1, NaN]) {
      assert.throws(() => new Loop(undefined, ms, () => {}), RangeError);
    }
    assert.throws(() => new Loop(undefined, 10, null as never), TypeError);
  });
});

test("notify() calls the callback now, on a loop never started; it receives the loop and its context", async () => {
  await withFakeTimers((fake) => {
    const seen: [Loop<string>, string][] = [];
    const loop = new Loop<string>(undefined, 10, (l) => seen.push([l, l.context]), "ctx");
    assert.equal(loop.notify(), loop);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]![0], loop);
    assert.equal(seen[0]![1], "ctx");
    assert.equal(loop.running, false);
    assert.equal(fake.pending.size, 0);
  });
});

test(
  "nextLoop() posts one call to the queue without arming a tick, and works without a queue",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const queue = new EventQueue().startLoop();
      let ticks = 0;
      const loop = new Loop(queue, 10, () => ticks++);
      loop.nextLoop();
      assert.equal(ticks, 0);
      await drained(queue);
      assert.equal(ticks, 1);
      assert.equal(fake.pending.size, 0);
      assert.equal(loop.running, false);
      queue.stopLoop();
      await within(
        new Promise<void>((resolve) => new Loop(undefined, 10, () => resolve()).nextLoop()),
        5000,
        "nextLoop",
      );
    });
  },
);

test(
  "errors thrown or rejected by the callback are reported and the loop keeps ticking",
  opts,
  async () => {
    await withFakeTimers(async (fake) => {
      const { queue, errors } = recordingQueue();
      queue.startLoop();
      let ticks = 0;
      const loop = new Loop(queue, 10, async () => {
        ticks++;
        if (ticks % 2) throw new Error(`tick ${ticks}`);
        await Promise.reject(new Error(`async tick ${ticks}`));
      });
      loop.start();
      for (let i = 0; i < 4; i++) {
        fake.fire();
        await drained(queue);
      }
      await drained(queue);
      assert.equal(ticks, 4);
      assert.deepEqual(errors.map((e) => (e as Error).message).sort(), [
        "async tick 2",
        "async tick 4",
        "tick 1",
        "tick 3",
      ]);
      assert.equal(loop.running, true);
      assert.equal(fake.pending.size, 1);
      loop.stop();
      queue.stopLoop();
      await withLoggedErrors((lines) => {
        const bare = new Loop(undefined, 10, () => {
          throw new Error("no queue");
        });
        bare.start();
        fake.fire();
        assert.deepEqual(lines.map((e) => (e as Error).message), ["no queue"]);
        assert.equal(fake.pending.size, 1, "re-armed after the error");
        bare.stop();
      });
    });
  },
);

test("setNotifyFunc() replaces the callback; notifyFunc() returns it", async () => {
  await withFakeTimers((fake) => {
    const calls: string[] = [];
    const first = () => calls.push("first");
    const second = () => calls.push("second");
    const loop = new Loop(undefined, 10, first);
    assert.equal(loop.notifyFunc(), first);
    loop.start();
    assert.equal(loop.setNotifyFunc(second), loop);
    fake.fire();
    assert.deepEqual(calls, ["second"]);
    loop.stop();
  });
});
