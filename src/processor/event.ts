/**
 * The event objects the receive and send paths create: {@link RecvMsgEvent}
 * (cellnet's `RecvMsgEvent`) and {@link OutboundEvent} (cellnet's
 * `SendMsgEvent`).
 *
 * @module
 */
import type { Event, SendMsgEvent, Session } from "../cellnet.ts";

/**
 * A message that arrived on a session; `reply` sends on the same session.
 *
 * @example
 * ```ts
 * import { RecvMsgEvent, type Session } from "@cellnet/cellnet";
 * function echo(session: Session, message: object): boolean {
 *   return new RecvMsgEvent(session, message).reply(message);
 * }
 * ```
 */
export class RecvMsgEvent<M = unknown> implements Event<M> {
  /** The session it arrived on. */
  readonly session: Session;
  /** The message. */
  readonly message: M;

  /** Pair a message with its session. */
  constructor(session: Session, message: M) {
    this.session = session;
    this.message = message;
  }

  /** Send `message` back on the same session; shorthand for `ev.session.send(message)`. */
  reply(message: object): boolean {
    return this.session.send(message);
  }
}

/**
 * A message on its way out, as outbound hookers see it.
 *
 * @example
 * ```ts
 * import { OutboundEvent, type Session } from "@cellnet/cellnet";
 * const make = (session: Session, msg: object) => new OutboundEvent(session, msg);
 * ```
 */
export class OutboundEvent<M = unknown> implements SendMsgEvent<M> {
  /** The session it is sent on. */
  readonly session: Session;
  /** The message to encode. */
  readonly message: M;

  /** Pair a message with the session it goes to. */
  constructor(session: Session, message: M) {
    this.session = session;
    this.message = message;
  }
}
