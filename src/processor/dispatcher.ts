/**
 * `MessageDispatcher`: route events to one handler per message type, with
 * the message parameter typed from the class (cellnet's
 * `proc.NewMessageDispatcher` without the string type switch).
 *
 * @module
 */
import type { MessageType } from "../message/meta.ts";
import type { Event, EventCallback } from "../cellnet.ts";

/** A handler for one message type. */
export type MessageHandler<T> = (message: T, event: Event<T>) => unknown;

/**
 * Dispatch each event to the handler registered for its message's class.
 *
 * @example
 * ```ts
 * import { MessageDispatcher, SessionAccepted, bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const dispatcher = new MessageDispatcher()
 *   .on(SessionAccepted, (_msg, ev) => console.log("accepted", ev.session.id));
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", dispatcher.callback);
 * ```
 */
export class MessageDispatcher {
  readonly #handlers = new Map<unknown, MessageHandler<never>[]>();
  #otherwise: EventCallback | undefined;

  /** Add a handler for messages of class `type`; several run in the order added. */
  on<T extends object>(type: MessageType<T>, handler: MessageHandler<T>): this {
    const list = this.#handlers.get(type);
    if (list) list.push(handler as MessageHandler<never>);
    else this.#handlers.set(type, [handler as MessageHandler<never>]);
    return this;
  }

  /** Remove every handler of `type`. */
  off(type: MessageType): this {
    this.#handlers.delete(type);
    return this;
  }

  /** Handle events no `on` handler matches (by default they are ignored). */
  otherwise(callback: EventCallback): this {
    this.#otherwise = callback;
    return this;
  }

  /** Dispatch one event; returns what the last handler returned (a promise is passed through). */
  dispatch(event: Event): unknown {
    const message = event.message as { constructor?: unknown } | null;
    const list = message ? this.#handlers.get(message.constructor) : undefined;
    if (!list) return this.#otherwise?.(event);
    if (list.length === 1) return (list[0] as MessageHandler<unknown>)(message, event);
    let result: unknown;
    for (const h of list) result = (h as MessageHandler<unknown>)(message, event);
    return result;
  }

  /** `dispatch` bound to this dispatcher, to pass as a processor's user callback. */
  readonly callback: EventCallback = (event) => this.dispatch(event);
}
