/**
 * cellnet's `timer.Loop`: a callback called again and again with a fixed
 * delay between the end of one call and the start of the next.
 *
 * @module
 */
import type { EventQueue } from "../queue/event_queue.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import { LongTimeout } from "./_long_timeout.ts";
import { defaultReporter } from "./_reporter.ts";

/** The callback of a {@link Loop}; it receives the loop (for `stop()`, `context`...). */
export type LoopCallback<C> = (loop: Loop<C>) => unknown;

/**
 * A repeating timer (cellnet's `timer.NewLoop`). Created stopped; each tick
 * is posted to the queue (or run in the timer's task without one) and the
 * next one is armed only after the callback returns, so the period is
 * `intervalMs` plus queue latency plus the callback's run time (fixed delay,
 * as in Go). An async callback is not awaited.
 *
 * Errors thrown or rejected by the callback are reported (to the queue, else
 * to the default logger) and the loop goes on, as Go's does with a
 * panic-capturing queue.
 *
 * Where Go's Loop has quirks, this one does what the names say:
 * - `stop()` from outside the callback also cancels the tick already armed
 *   or posted to the queue (Go still runs it once): after `stop()` returns,
 *   the callback is not called again by the loop;
 * - `resume()` restarts a stopped loop (Go only marks it running, so a
 *   finished chain stays dead and `start()` then returns false); it is
 *   `start()` without the return value;
 * - `stop()` then `start()` before the armed tick fires gives one chain, not
 *   two;
 * - a zero, negative or NaN interval is a RangeError from the constructor
 *   (Go panics in `Start()` after marking the loop running); intervals past
 *   setTimeout's 2^31 − 1 ms work.
 *
 * @example A one-second tick on the server's queue
 * ```ts
 * import { EventQueue, timer } from "@cellnet/cellnet";
 * const queue = new EventQueue().startLoop();
 * let ticks = 0;
 * const loop = new timer.Loop(queue, 1000, (l) => {
 *   if (++ticks === 3) l.stop();
 * });
 * loop.start(); // true
 * loop.stop();
 * ```
 */
export class Loop<C = undefined> {
  /** The queue ticks are posted to, or undefined to run them in the timer's task. */
  readonly queue: EventQueue | undefined;
  /** The delay between ticks, in milliseconds (cellnet's `Duration`). */
  readonly intervalMs: number;
  /** Free for the user (cellnet's `Context`). */
  context: C;
  #onTick: LoopCallback<C>;
  #running = false;
  // Bumped by stop(): a tick posted before it carries an older epoch and is dropped.
  #epoch = 0;
  readonly #timeout: LongTimeout;
  // Created once, so a tick allocates nothing of ours.
  readonly #fire = (): void => {
    if (this.queue) this.queue.postCall(this.#tick, this.#epoch);
    else this.#tick(this.#epoch);
  };
  readonly #tick = (epoch: number): void => {
    if (epoch !== this.#epoch || !this.#running) return;
    invokeReporting(this.#onTick, this, this.queue ?? defaultReporter);
    // Re-arm after the callback, unless it stopped (or stopped and restarted) the loop.
    if (epoch === this.#epoch && this.#running && !this.#timeout.pending) {
      this.#timeout.schedule(this.intervalMs);
    }
  };
  readonly #once = (): unknown => this.#onTick(this);

  /**
   * Create a stopped loop.
   *
   * @param queue Where ticks run, or undefined.
   * @param intervalMs Delay between ticks in milliseconds; must be > 0.
   * @param onTick Called on every tick with the loop.
   * @param context Stored as {@link Loop.context}.
   */
  constructor(
    queue: EventQueue | undefined,
    intervalMs: number,
    onTick: LoopCallback<C>,
    context?: C,
  ) {
    if (typeof onTick !== "function") {
      throw new TypeError(
        `timer.Loop: onTick must be a function, got ${onTick === null ? "null" : typeof onTick}`,
      );
    }
    if (typeof intervalMs !== "number" || !(intervalMs > 0)) {
      throw new RangeError(
        `timer.Loop: intervalMs must be a number above 0, got ${String(intervalMs)}`,
      );
    }
    this.queue = queue;
    this.intervalMs = intervalMs;
    this.#onTick = onTick;
    this.context = context as C;
    this.#timeout = new LongTimeout(this.#fire);
  }

  /** True between {@link start} (or {@link resume}) and {@link stop}. */
  get running(): boolean {
    return this.#running;
  }

  /** Arm the first tick, `intervalMs` from now. Returns false (and does nothing) if already running. */
  start(): boolean {
    if (this.#running) return false;
    this.#running = true;
    this.#timeout.schedule(this.intervalMs);
    return true;
  }

  /** Stop ticking: the armed tick, and one already posted to the queue, do not run. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#epoch++;
    this.#timeout.cancel();
  }

  /** Restart a stopped loop (the next tick `intervalMs` from now); nothing if running. */
  resume(): void {
    this.start();
  }

  /**
   * Call the callback now, synchronously, outside the tick schedule
   * (cellnet's `Notify`); errors are reported like a tick's. Returns the loop.
   */
  notify(): this {
    invokeReporting(this.#onTick, this, this.queue ?? defaultReporter);
    return this;
  }

  /**
   * Post one extra call of the callback to the queue (in a microtask without
   * one), whether or not the loop runs; it does not arm a tick (cellnet's
   * `NextLoop`, which panics without a queue).
   */
  nextLoop(): void {
    if (this.queue) this.queue.post(this.#once);
    else queueMicrotask(() => invokeReporting(this.#once, undefined, defaultReporter));
  }

  /** Replace the callback (cellnet's `SetNotifyFunc`). Returns the loop. */
  setNotifyFunc(onTick: LoopCallback<C>): this {
    if (typeof onTick !== "function") throw new TypeError("timer.Loop: onTick must be a function");
    this.#onTick = onTick;
    return this;
  }

  /** The callback (cellnet's `NotifyFunc`). */
  notifyFunc(): LoopCallback<C> {
    return this.#onTick;
  }
}
