/**
 * `Event`: what a handler receives, a message together with the session it
 * came from (cellnet's `cellnet.Event` / `RecvMsgEvent`).
 *
 * @module
 */
import type { Session } from "../session/session.ts";

/** A message and its session, as delivered to handlers and hookers. */
export interface Event<M = unknown> {
  /** The session the message arrived on (or the system event is about). */
  readonly session: Session;
  /** The decoded message or system event. */
  readonly message: M;
}

/** The event object the receive path creates (cellnet's `RecvMsgEvent`). */
export class RecvMsgEvent<M = unknown> implements Event<M> {
  /** Pair a message with its session. */
  constructor(
    /** The session it arrived on. */
    readonly session: Session,
    /** The message. */
    readonly message: M,
  ) {}

  /** Send `message` back on the same session; shorthand for `ev.session.send(message)`. */
  reply(message: object): boolean {
    return this.session.send(message);
  }
}

/** The single user handler a peer's processor calls (cellnet's `EventCallback`). */
export type EventCallback = (event: Event) => unknown;
