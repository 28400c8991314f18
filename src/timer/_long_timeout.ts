/**
 * Internal: a re-armable timeout with no upper limit. `setTimeout` keeps
 * delays in a signed 32-bit integer, so anything past 2^31 − 1 ms (about
 * 24.8 days) fires at once on every runtime; longer delays are chained in
 * steps of at most that much.
 *
 * @module
 */

/** The longest delay `setTimeout` honours: 2^31 − 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The two platform timer functions, injectable for tests. */
export interface TimerApi {
  /** Call `fn` once after `ms` (at most {@link MAX_TIMEOUT_MS}). */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancel what `setTimeout` returned. */
  clearTimeout(handle: unknown): void;
}

/**
 * The timers every {@link LongTimeout} uses by default. Its methods are read
 * at each step, so a test can replace them (and must put them back).
 */
export const timers: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Calls one function after a delay of any length; can be re-armed and cancelled. */
export class LongTimeout {
  readonly #fn: () => void;
  readonly #api: TimerApi;
  #handle: unknown = undefined;
  #remaining = 0;
  #pending = false;
  // Created once: re-arming a loop's timeout allocates nothing of ours.
  readonly #step = (): void => {
    if (!this.#pending) return;
    if (this.#remaining > 0) {
      this.#arm();
      return;
    }
    this.#pending = false;
    this.#handle = undefined;
    this.#fn();
  };

  /** `fn` runs once per {@link schedule} whose delay elapses uncancelled. */
  constructor(fn: () => void, api: TimerApi = timers) {
    this.#fn = fn;
    this.#api = api;
  }

  /** True between {@link schedule} and the call (or {@link cancel}). */
  get pending(): boolean {
    return this.#pending;
  }

  /**
   * Arm for `ms` milliseconds (negative counts as 0; Infinity never fires),
   * replacing any pending delay.
   */
  schedule(ms: number): void {
    this.cancel();
    this.#remaining = ms > 0 ? ms : 0;
    this.#pending = true;
    this.#arm();
  }

  /** Cancel the pending call; returns true if there was one. */
  cancel(): boolean {
    if (!this.#pending) return false;
    this.#pending = false;
    this.#api.clearTimeout(this.#handle);
    this.#handle = undefined;
    return true;
  }

  #arm(): void {
    const step = Math.min(this.#remaining, MAX_TIMEOUT_MS);
    this.#remaining -= step;
    this.#handle = this.#api.setTimeout(this.#step, step);
  }
}
