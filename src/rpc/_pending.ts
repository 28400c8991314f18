/**
 * Internal: the rpc bookkeeping. Call ids come from one process-wide
 * counter starting at 1 (as cellnet's); pending calls are kept per session,
 * so a session's close can fail exactly its own calls, and a reply is only
 * matched on the session its call went out on. Typed calls keep one FIFO
 * per reply type per session.
 *
 * @module
 */
import type { Session } from "../cellnet.ts";
import { RpcTimeoutError } from "../errors.ts";
import { LongTimeout } from "../timer/_long_timeout.ts";

/** Process-wide counters behind `rpc.stats()`. */
export const counters = { pending: 0, lateReplies: 0, timeouts: 0 };

let lastCallId = 0;

/** The next call id (1, 2, 3 … per process). */
export function nextCallId(): number {
  return ++lastCallId;
}

/** Make the next call id `base + 1`. */
export function setLastCallId(base: number): void {
  lastCallId = base;
}

/** Something waiting for a reply: settled once, by reply, error, timeout or abort. */
export abstract class Waiter<R> {
  readonly #resolve: (reply: R) => void;
  readonly #reject: (error: unknown) => void;
  #timeout: LongTimeout | undefined;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #settled = false;

  constructor(resolve: (reply: R) => void, reject: (error: unknown) => void) {
    this.#resolve = resolve;
    this.#reject = reject;
    counters.pending++;
  }

  /** Start the timeout (0: none) and listen to `signal`. */
  arm(timeoutMs: number, signal: AbortSignal | undefined, what: string): void {
    if (timeoutMs > 0) {
      this.#timeout = new LongTimeout(() => {
        counters.timeouts++;
        this.#expire(new RpcTimeoutError(`RPC time out: no reply ${what} within ${timeoutMs} ms`));
      });
      this.#timeout.schedule(timeoutMs);
    }
    if (signal) {
      this.#signal = signal;
      this.#onAbort = () => this.#expire(signal.reason);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /** The reply came. */
  resolveWith(reply: R): void {
    if (this.#settle()) this.#resolve(reply);
  }

  /** The call failed (the session closed, the reply did not decode, the send threw). */
  fail(error: unknown): void {
    if (this.#settle()) this.#reject(error);
  }

  /** Forget this waiter wherever it is registered. */
  protected abstract unregister(): void;
  /** It timed out or was aborted while its request may still be answered. */
  protected abstract expired(): void;

  #expire(error: unknown): void {
    if (!this.#settle()) return;
    this.expired();
    this.#reject(error);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    counters.pending--;
    this.#timeout?.cancel();
    if (this.#onAbort) this.#signal!.removeEventListener("abort", this.#onAbort);
    this.unregister();
    return true;
  }
}

// ---- envelope calls (rpc.call) ----

const callsBySession = new WeakMap<Session, Map<number, EnvelopeCall>>();

/** A call sent as a RemoteCallREQ, answered by the RemoteCallACK with its CallID. */
export class EnvelopeCall extends Waiter<object> {
  readonly id: number;
  readonly session: Session;

  constructor(
    id: number,
    session: Session,
    resolve: (r: object) => void,
    reject: (e: unknown) => void,
  ) {
    super(resolve, reject);
    this.id = id;
    this.session = session;
    let calls = callsBySession.get(session);
    if (calls === undefined) callsBySession.set(session, calls = new Map());
    calls.set(id, this);
  }

  protected unregister(): void {
    callsBySession.get(this.session)?.delete(this.id);
  }

  // A reply after this is unmatched and counted late.
  protected expired(): void {}
}

/** The pending call `id` of `session`, if any. */
export function pendingCall(session: Session, id: number): EnvelopeCall | undefined {
  return callsBySession.get(session)?.get(id);
}

// ---- typed calls (rpc.callType) ----

type AnyType = abstract new (...args: never[]) => object;

/** One session's typed calls: a FIFO per reply type, and replies still owed to expired calls. */
interface TypedState {
  readonly fifo: Map<AnyType, TypedCall[]>;
  readonly late: Map<AnyType, number>;
}

const typedBySession = new WeakMap<Session, TypedState>();
/** Typed calls pending plus late replies owed, over all sessions: 0 lets the hooker skip the lookup. */
let typedOutstanding = 0;

/** True while any session has a typed call pending or a late typed reply owed. */
export function hasTypedCalls(): boolean {
  return typedOutstanding > 0;
}

/** A call sent as a plain message, answered by the next message of its reply type. */
export class TypedCall extends Waiter<object> {
  readonly session: Session;
  readonly type: AnyType;

  constructor(
    session: Session,
    type: AnyType,
    resolve: (r: object) => void,
    reject: (e: unknown) => void,
  ) {
    super(resolve, reject);
    this.session = session;
    this.type = type;
    let state = typedBySession.get(session);
    if (state === undefined) {
      typedBySession.set(session, state = { fifo: new Map(), late: new Map() });
    }
    let queue = state.fifo.get(type);
    if (queue === undefined) state.fifo.set(type, queue = []);
    queue.push(this);
    typedOutstanding++;
  }

  protected unregister(): void {
    const queue = typedBySession.get(this.session)?.fifo.get(this.type);
    const i = queue?.indexOf(this) ?? -1;
    if (i >= 0) {
      queue!.splice(i, 1);
      typedOutstanding--;
    }
  }

  // Its reply may still come: the next message of this type is that reply,
  // not the answer to a later call of the same type.
  protected expired(): void {
    const state = typedBySession.get(this.session);
    if (state === undefined || !this.session.isOpen) return;
    state.late.set(this.type, (state.late.get(this.type) ?? 0) + 1);
    typedOutstanding++;
  }
}

/**
 * Give an inbound message to the typed call waiting for its type. Returns
 * true when it was taken (by a call, or dropped as a late reply).
 */
export function takeTyped(session: Session, message: object): boolean {
  const state = typedBySession.get(session);
  if (state === undefined) return false;
  const type = message.constructor as AnyType;
  const late = state.late.get(type);
  if (late !== undefined) {
    if (late <= 1) state.late.delete(type);
    else state.late.set(type, late - 1);
    typedOutstanding--;
    counters.lateReplies++;
    return true;
  }
  const call = state.fifo.get(type)?.[0];
  if (call === undefined) return false;
  call.resolveWith(message);
  return true;
}

/** Fail every call pending on `session`, forget its late replies. */
export function failSession(session: Session, error: () => Error): void {
  const calls = callsBySession.get(session);
  if (calls !== undefined && calls.size > 0) {
    for (const c of [...calls.values()]) {
      c.fail(error());
    }
  }
  const state = typedBySession.get(session);
  if (state === undefined) return;
  for (const queue of state.fifo.values()) for (const c of [...queue]) c.fail(error());
  for (const n of state.late.values()) typedOutstanding -= n;
  state.late.clear();
}
