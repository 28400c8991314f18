/**
 * `SyncReceiver`: cellnet's `proc.SyncReceiver`, a peer callback that keeps
 * events for a test or a bot to await one by one.
 *
 * @module
 */
import type { Event, EventCallback, Peer } from "../cellnet.ts";
import { LimitError, TimeoutError } from "../errors.ts";
import type { MessageType } from "../message/meta.ts";

/** Options of {@link SyncReceiver}. */
export interface SyncReceiverOptions {
  /** Events kept while nobody waits; one more closes nothing but fails the next `recv`. Default 1024. */
  readonly maxBuffered?: number;
}

interface Waiting {
  readonly match: (ev: Event) => boolean;
  readonly resolve: (ev: Event) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Await a peer's events in order: bind {@link callback} as the peer's
 * handler, then `await rv.recv(ms)` for the next event or
 * `await rv.recvType(Type, ms)` for the next message of a type (cellnet's
 * `WaitMessage`: events before it are discarded). Both reject with
 * `TimeoutError` when nothing fitting comes in time. At most `maxBuffered`
 * events are kept; past that the receiver stops keeping events and the
 * next `recv` rejects with `LimitError` (a bounded buffer, never a silent drop).
 *
 * @example A bot's script
 * ```ts
 * import { bindProcessorHandler, defineMessage, SessionConnected, SyncReceiver, t, tcp } from "@cellnet/cellnet";
 * const Echo = defineMessage("syncrecvdoc.TestEchoACK", { Msg: t.string, Value: t.int32 });
 * const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(server, "tcp.ltv", (ev) => ev.message instanceof Echo && ev.reply(ev.message));
 * await server.start();
 *
 * const client = new tcp.Connector({ address: `127.0.0.1:${server.port}` });
 * const rv = new SyncReceiver(client);
 * bindProcessorHandler(client, "tcp.ltv", rv.callback);
 * await client.start();
 * await rv.recvType(SessionConnected, 2000);
 * client.session.send(new Echo({ Msg: "hi" }));
 * const echo = await rv.recvType(Echo, 2000);
 * console.log(echo.Msg); // "hi"
 * await client.stop();
 * await server.stop();
 * ```
 */
export class SyncReceiver {
  /** The peer it receives for, if given (its name shows in errors). */
  readonly peer: Peer | undefined;
  /** Bind this as the peer's handler (cellnet's `EventCallback()`). */
  readonly callback: EventCallback = (ev) => this.#push(ev);
  readonly #max: number;
  readonly #events: Event[] = [];
  #head = 0;
  #waiting: Waiting | undefined;
  #overflowed = false;

  /** A receiver for `peer`'s events. */
  constructor(peer?: Peer, options: SyncReceiverOptions = {}) {
    this.peer = peer;
    this.#max = options.maxBuffered ?? 1024;
  }

  /** The handler to bind (cellnet's `EventCallback()`); the same as {@link callback}. */
  eventCallback(): EventCallback {
    return this.callback;
  }

  /** Events kept and not yet received. */
  get buffered(): number {
    return this.#events.length - this.#head;
  }

  /** The next event, waiting at most `timeoutMs` (0: no limit). */
  recv(timeoutMs: number): Promise<Event> {
    return this.#wait(() => true, timeoutMs, "an event");
  }

  /**
   * The next message of `type`, waiting at most `timeoutMs` (0: no limit);
   * events before it are discarded.
   */
  async recvType<T extends object>(type: MessageType<T>, timeoutMs: number): Promise<T> {
    const ev = await this.#wait((e) => e.message instanceof type, timeoutMs, type.name);
    return ev.message as T;
  }

  #wait(match: (ev: Event) => boolean, timeoutMs: number, what: string): Promise<Event> {
    if (this.#waiting) {
      return Promise.reject(
        new TypeError("SyncReceiver: one recv at a time (await the previous one first)"),
      );
    }
    while (this.#head < this.#events.length) {
      const ev = this.#take();
      if (match(ev)) return Promise.resolve(ev);
    }
    if (this.#overflowed) {
      this.#overflowed = false;
      return Promise.reject(
        new LimitError(
          `SyncReceiver${this.#name()}: more than ${this.#max} events arrived unreceived; later ones were not kept`,
        ),
      );
    }
    return new Promise<Event>((resolve, reject) => {
      const timer = timeoutMs > 0
        ? setTimeout(() => {
          this.#waiting = undefined;
          reject(
            new TimeoutError(`SyncReceiver${this.#name()}: no ${what} within ${timeoutMs} ms`),
          );
        }, timeoutMs)
        : undefined;
      this.#waiting = { match, resolve, reject, timer };
    });
  }

  #push(ev: Event): void {
    const w = this.#waiting;
    if (w) {
      if (!w.match(ev)) return;
      this.#waiting = undefined;
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.resolve(ev);
      return;
    }
    if (this.buffered >= this.#max) {
      this.#overflowed = true;
      return;
    }
    this.#events.push(ev);
  }

  #take(): Event {
    const ev = this.#events[this.#head++];
    if (this.#head === this.#events.length) {
      this.#events.length = 0;
      this.#head = 0;
    }
    return ev;
  }

  #name(): string {
    return this.peer ? ` of '${this.peer.name}'` : "";
  }
}
