/**
 * cellnet's `timer.After`: run a callback once after a delay, on an
 * EventQueue when one is given.
 *
 * @module
 */
import type { EventQueue } from "../queue/event_queue.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import { LongTimeout } from "./_long_timeout.ts";
import { defaultReporter } from "./_reporter.ts";

/** What {@link after} returns, cellnet's `AfterStopper`. */
export interface AfterStopper {
  /**
   * Prevent the callback. Returns true if this call prevented it, false if
   * it already ran (or is running) or was stopped before.
   */
  stop(): boolean;
}

class AfterTimer<C> implements AfterStopper {
  readonly #queue: EventQueue | undefined;
  readonly #callback: (context: C) => unknown;
  readonly #context: C;
  readonly #timeout: LongTimeout;
  #done = false;
  readonly #run = (): unknown => {
    if (this.#done) return undefined;
    this.#done = true;
    return this.#callback(this.#context);
  };

  constructor(
    queue: EventQueue | undefined,
    ms: number,
    callback: (context: C) => unknown,
    context: C,
  ) {
    this.#queue = queue;
    this.#callback = callback;
    this.#context = context;
    this.#timeout = new LongTimeout(() => {
      // The queue reports what the callback throws or rejects with.
      if (this.#queue) this.#queue.post(this.#run);
      else invokeReporting(this.#run, undefined, defaultReporter);
    });
    this.#timeout.schedule(ms);
  }

  stop(): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#timeout.cancel();
    return true;
  }
}

/**
 * Call `callback(context)` once, `ms` milliseconds from now (cellnet's
 * `timer.After`). With a queue the call is posted to it when the time comes,
 * so it runs in order with the queue's other work; without one it runs in
 * the timer's own task. Errors it throws, or rejects with, are reported (to
 * the queue, else to the default logger) and never escape.
 *
 * Differences from Go, all deliberate: a bad callback is a TypeError now,
 * not a panic when the timer fires; `stop()` also prevents a callback that
 * was already posted to the queue but has not run yet (and then returns
 * true); delays past setTimeout's limit of 2^31 − 1 ms work; a negative
 * delay counts as 0.
 *
 * @param queue The EventQueue to run the callback on, or undefined.
 * @param ms The delay in milliseconds.
 * @param callback Receives `context`.
 * @param context Passed to the callback (cellnet's `func(interface{})` form).
 * @returns A stopper whose `stop()` cancels the callback.
 *
 * @example A timeout on the server's queue
 * ```ts
 * import { EventQueue, timer } from "@cellnet/cellnet";
 * const queue = new EventQueue().startLoop();
 * const stopper = timer.after(queue, 100, (name) => console.log(`${name} timed out`), "login");
 * stopper.stop(); // true: it will not run
 * ```
 */
export function after<C = undefined>(
  queue: EventQueue | undefined,
  ms: number,
  callback: (context: C) => unknown,
  context?: C,
): AfterStopper {
  if (typeof callback !== "function") {
    throw new TypeError(
      `timer.after: callback must be a function, got ${
        callback === null ? "null" : typeof callback
      }`,
    );
  }
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    throw new RangeError(`timer.after: ms must be a number of milliseconds, got ${String(ms)}`);
  }
  return new AfterTimer(queue, ms, callback, context as C);
}
