/**
 * cellnet's `EventQueue`: a FIFO of callbacks run one after another, so
 * every handler of every peer sharing the queue runs in order. Handler
 * errors (thrown or rejected) are reported and the loop goes on.
 *
 * @module
 */
import { getDefaultLogger, type Logger } from "../log.ts";
import { messageName } from "../message/meta.ts";

type Task = (arg: unknown) => unknown;

/**
 * A queue of callbacks drained in order, in a microtask after they are
 * posted, so a burst of events from one socket read runs in one batch.
 *
 * @example One queue for a server
 * ```ts
 * import { EventQueue } from "@cellnet/cellnet";
 * const queue = new EventQueue();
 * queue.startLoop();
 * queue.post(() => console.log("runs in order"));
 * queue.stopLoop();
 * await queue.wait();
 * ```
 */
export class EventQueue {
  // Two parallel arrays instead of one closure per event: the hot path posts
  // (handler, event) pairs without allocating.
  #tasks: Task[] = [];
  #args: unknown[] = [];
  #head = 0;
  #scheduled = false;
  #running = false;
  #stopping = false;
  #waiters: (() => void)[] = [];
  /** Removes the abort listener of the signal the running loop was started with. */
  #unlisten: (() => void) | undefined;
  readonly #drain = () => this.#run();
  /** Where errors thrown by callbacks are reported. */
  logger: Logger;
  /** Called with each error a callback throws or rejects with, after it is logged. */
  onError?: (error: unknown) => void;

  /** Create a queue; `logger` defaults to the process-wide default logger. */
  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? getDefaultLogger();
  }

  /** True between {@link startLoop} and {@link stopLoop}. */
  get running(): boolean {
    return this.#running;
  }

  /** Number of callbacks waiting. */
  get count(): number {
    return this.#tasks.length - this.#head;
  }

  /**
   * Start running posted callbacks (cellnet's `StartLoop`). Returns the
   * queue. When `signal` aborts, the loop stops as with {@link stopLoop};
   * the signal is forgotten once this loop stops or is started again.
   */
  startLoop(signal?: AbortSignal): this {
    // The signal belongs to this loop: one from an earlier startLoop must not stop it.
    this.#forgetSignal();
    this.#running = true;
    this.#stopping = false;
    this.#schedule();
    if (signal) {
      if (signal.aborted) {
        this.stopLoop();
      } else {
        const onAbort = (): void => {
          this.#unlisten = undefined;
          this.stopLoop();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        this.#unlisten = () => signal.removeEventListener("abort", onAbort);
      }
    }
    return this;
  }

  /**
   * Stop after the callbacks already posted have run (cellnet's `StopLoop`);
   * {@link wait} resolves then. Posts after this still queue and run after a
   * later {@link startLoop}.
   */
  stopLoop(): this {
    this.#forgetSignal();
    this.#stopping = true;
    this.#schedule();
    return this;
  }

  /** Resolves when the loop has stopped (cellnet's `Wait`). */
  wait(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Queue a callback (cellnet's `Post`). */
  post(callback: () => unknown): void {
    this.postCall(callback as Task, undefined);
  }

  /** Queue `fn(arg)` without allocating a closure; the event path uses this. */
  postCall<A>(fn: (arg: A) => unknown, arg: A): void {
    this.#tasks.push(fn as Task);
    this.#args.push(arg);
    if (this.#running) this.#schedule();
  }

  #forgetSignal(): void {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    unlisten?.();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(this.#drain);
  }

  #run(): void {
    this.#scheduled = false;
    if (this.#running) {
      const tasks = this.#tasks;
      const args = this.#args;
      // Callbacks posted while draining run in this same batch, in order.
      while (this.#head < tasks.length) {
        const i = this.#head++;
        const fn = tasks[i];
        const arg = args[i];
        tasks[i] = undefined as unknown as Task;
        args[i] = undefined;
        invokeReporting(fn, arg, this);
      }
      tasks.length = 0;
      args.length = 0;
      this.#head = 0;
    }
    if (this.#stopping) {
      this.#stopping = false;
      this.#running = false;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }
}

/**
 * What failed, for the log line: for an event, the handler with the peer,
 * session id, remote address and message name.
 */
function describeCall(arg: unknown): string {
  const ev = arg as {
    session?: { id?: unknown; remoteAddress?: unknown; peer?: { name?: unknown } };
    message?: unknown;
  };
  const s = typeof arg === "object" && arg !== null ? ev.session : undefined;
  if (s === undefined || !("message" in (arg as object))) return "queued callback";
  const where = s.remoteAddress ? ` (${s.remoteAddress})` : "";
  return `[${s.peer?.name}] session ${s.id}${where}: handler on ${messageName(ev.message)}`;
}

/** Something that reports errors: a queue or a peer. */
export interface ErrorReporter {
  /** Logs handler failures. */
  readonly logger: Logger;
  /** Optional extra sink. */
  onError?: (error: unknown) => void;
}

/**
 * Call `fn(arg)`; report a throw or a rejected promise to `reporter` instead
 * of letting it escape (no crash, no unhandled rejection).
 */
export function invokeReporting<A>(fn: (arg: A) => unknown, arg: A, reporter: ErrorReporter): void {
  try {
    const result = fn(arg);
    if (result !== undefined && typeof (result as PromiseLike<unknown>).then === "function") {
      (result as Promise<unknown>).then(undefined, (e) => report(reporter, e, arg));
    }
  } catch (e) {
    report(reporter, e, arg);
  }
}

function report(reporter: ErrorReporter, error: unknown, arg: unknown): void {
  reporter.logger.error(`${describeCall(arg)} failed`, error);
  try {
    reporter.onError?.(error);
  } catch {
    // An error sink that throws must not break the loop either.
  }
}
