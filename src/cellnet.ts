/**
 * cellnet's root interfaces in one place: {@link Peer}, {@link Session},
 * {@link Event}, {@link SendMsgEvent}, {@link EventHooker},
 * {@link MessageTransmitter} and {@link ProcessorBundle}. Everything else
 * imports these types from here, so the layers (transport, session,
 * processor, peer) depend on interfaces and not on each other.
 *
 * @example A handler sees the narrow interfaces
 * ```ts
 * import type { Event, Session } from "@cellnet/cellnet";
 * function onEvent(ev: Event): void {
 *   const session: Session = ev.session;
 *   console.log(session.id, session.remoteAddress, ev.message);
 * }
 * ```
 *
 * @module
 */
import type { ByteWriter } from "./codec/byte_writer.ts";
import type { Logger } from "./log.ts";
import type { EventQueue } from "./queue/event_queue.ts";
import type { Connection } from "./transport/transport.ts";

/** A network endpoint that owns sessions (cellnet's `Peer` + `SessionAccessor`). */
export interface Peer {
  /** The cellnet type name, e.g. `tcp.Acceptor`. */
  readonly typeName: string;
  /** Name used in logs. */
  readonly name: string;
  /** The configured address, as given (`host:port`, `ws://host:port/path`). */
  readonly address: string;
  /** The event queue handlers run on, if any. */
  readonly queue: EventQueue | undefined;
  /** Where log lines go. */
  readonly logger: Logger;
  /** Optional sink for handler errors, called after they are logged. */
  onError?: (error: unknown) => void;
  /** True between a completed `start()` and `stop()`. */
  readonly isRunning: boolean;
  /**
   * Start listening or dialling. Concurrent calls share one start; a
   * `stop()` during a start wins. An aborted `signal` stops the peer and
   * rejects with the signal's reason.
   */
  start(signal?: AbortSignal): Promise<this>;
  /** Stop and close every session; resolves when they are gone. */
  stop(): Promise<void>;
  /** `await using peer = …` stops the peer at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
  /** The live session with this id, or undefined. */
  getSession(id: number): Session | undefined;
  /** Call `callback` for each live session until it returns false. */
  visitSession(callback: (session: Session) => boolean | void): void;
  /** Number of live sessions. */
  sessionCount(): number;
  /** Close every live session. */
  closeAllSession(): void;
}

/** One connection of a peer (cellnet's `Session`), as handlers see it. */
export interface Session {
  /** Unique within its peer; 0 before the session was first attached. */
  readonly id: number;
  /** The peer that owns it. */
  readonly peer: Peer;
  /** `host:port` of the remote side, or `""` while not connected. */
  readonly remoteAddress: string;
  /** The runtime connection (cellnet's `Raw()`), or undefined while not connected. */
  readonly raw: Connection | undefined;
  /** True while connected and not closed. */
  readonly isOpen: boolean;
  /** Bytes queued and not yet taken by the OS. */
  readonly bufferedAmount: number;
  /**
   * Queue a message; never blocks. Returns false when the session is closed
   * (or was just closed as a slow consumer). Throws `EncodeError` or
   * `UnregisteredMessageError` (nothing queued, the session stays usable).
   */
  send(message: object): boolean;
  /** Close after queued messages are written; `SessionClosed` (Manual) follows. */
  close(): void;
  /** Attach a value (cellnet's `SetContext`). */
  setContext(key: unknown, value: unknown): void;
  /** Read a value set with {@link setContext} (cellnet's `GetContext`). */
  getContext<V = unknown>(key: unknown): V | undefined;
}

/** A message and its session, as delivered to handlers and hookers (cellnet's `Event`). */
export interface Event<M = unknown> {
  /** The session the message arrived on (or the system event is about). */
  readonly session: Session;
  /** The decoded message or system event. */
  readonly message: M;
  /**
   * Answer this event. A plain message replies on its session; an RPC
   * request answers the call and a relayed message relays back.
   */
  reply(message: object): boolean;
}

/** An outbound message on its way to the transmitter (cellnet's `SendMsgEvent`). */
export interface SendMsgEvent<M = unknown> {
  /** The session it is sent on. */
  readonly session: Session;
  /** The message to encode. */
  readonly message: M;
}

/** The single user handler a peer's processor calls (cellnet's `EventCallback`). */
export type EventCallback = (event: Event) => unknown;

/** Inspect or transform events; return `undefined` to swallow one (cellnet's `EventHooker`). */
export interface EventHooker {
  /** An inbound message or system event, before the handler sees it. */
  onInboundEvent?(event: Event): Event | undefined;
  /** An outbound message, before it is encoded. */
  onOutboundEvent?(event: SendMsgEvent): SendMsgEvent | undefined;
}

/** Where a receiver delivers decoded messages: the session. */
export interface MessageSink {
  /** One decoded message, in arrival order. */
  onRecvMessage(message: object): void;
  /** False once the session stopped reading (closed from a handler): the receiver stops. */
  readonly receiving: boolean;
}

/** Per-session inbound state of a transmitter. */
export interface MessageReceiver {
  /**
   * Parse `chunk` (valid only during the call), delivering every complete
   * message to the sink. Throws a `ProtocolError` on bad input; messages
   * before the bad one have been delivered. On a message-oriented
   * connection each chunk is one whole message.
   */
  receive(chunk: Uint8Array): void;
  /** Bytes held of a message not yet complete (a close now cuts it: "unexpected EOF"). */
  readonly partialBytes: number;
}

/** Limits a receiver enforces before it buffers anything. */
export interface ReceiveLimits {
  /** Reject messages whose size field is at or above this (0: only the format's own limit). */
  readonly maxPacketSize: number;
}

/** Frames messages out and parses them in (cellnet's `MessageTransmitter`). */
export interface MessageTransmitter {
  /** Make the inbound parser of one session. */
  newReceiver(sink: MessageSink, limits: ReceiveLimits): MessageReceiver;
  /**
   * Append one framed message to `out`. Throws `EncodeError` or
   * `UnregisteredMessageError`; the caller restores `out.pos`.
   */
  writeMessage(out: ByteWriter, message: object): void;
}

/** What a peer runs each session's traffic through (cellnet's `ProcessorBundle`). */
export interface ProcessorBundle {
  /** Framing and encoding. */
  readonly transmitter: MessageTransmitter;
  /** Optional hooker chain; absent means no hooks (the fast path). */
  readonly hooker?: EventHooker;
  /** Delivers each inbound event to the user (queued when the peer has a queue). */
  readonly callback: EventCallback;
}
