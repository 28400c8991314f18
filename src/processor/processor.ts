/**
 * Processors: cellnet's `proc` package. A processor bundle = transmitter
 * (framing + codec) + hooker (rpc, relay, log) + callback (the user handler,
 * through the peer's event queue when it has one). Processors are
 * registered by name (`tcp.ltv`) and bound to a peer with
 * {@link bindProcessorHandler}.
 *
 * @module
 */
import { NotRegisteredError } from "../errors.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import type { Peer } from "../peer/peer.ts";
import type { EventCallback } from "./event.ts";
import type { EventHooker } from "./hooker.ts";
import type { MessageTransmitter } from "./transmitter.ts";

/** What a peer runs each session's traffic through (cellnet's `ProcessorBundle`). */
export interface ProcessorBundle {
  /** Framing and encoding. */
  transmitter: MessageTransmitter;
  /** Optional hooker chain; absent means no hooks (the fast path). */
  hooker?: EventHooker;
  /** Delivers each inbound event to the user (queued when the peer has a queue). */
  callback: EventCallback;
}

/** Builds a bundle for a peer from the user's handler (cellnet's `ProcessorBinder`). */
export type ProcessorCreator = (peer: Peer, userCallback: EventCallback) => ProcessorBundle;

const processors = new Map<string, ProcessorCreator>();

/**
 * Register a processor under a name, e.g. `tcp.ltv` (cellnet's `proc.RegisterProcessor`).
 *
 * @example A tcp.ltv variant that logs every inbound message
 * ```ts
 * import { registerProcessor, LTVTransmitter, queuedCallback } from "@cellnet/cellnet";
 * registerProcessor("doc.loggedltv", (peer, cb) => ({
 *   transmitter: new LTVTransmitter(),
 *   hooker: { onInboundEvent: (ev) => (console.log(ev.message), ev) },
 *   callback: queuedCallback(peer, cb),
 * }));
 * ```
 */
export function registerProcessor(name: string, creator: ProcessorCreator): void {
  processors.set(name, creator);
}

/** Names of every registered processor. */
export function processorNames(): string[] {
  return [...processors.keys()];
}

/**
 * Attach a processor and the user's handler to a peer, before `start()`
 * (cellnet's `proc.BindProcessorHandler`).
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => console.log(ev.message));
 * ```
 */
export function bindProcessorHandler(peer: Peer, processorName: string, userCallback: EventCallback): void {
  const creator = processors.get(processorName);
  if (!creator) {
    throw new NotRegisteredError(
      `processor not registered: '${processorName}' (known: ${processorNames().join(", ") || "none"})`,
    );
  }
  peer.setBundle(creator(peer, userCallback));
}

/**
 * Wrap the user's handler so events go through the peer's queue when it has
 * one, or are called at once otherwise (cellnet's `NewQueuedEventCallback`).
 * Either way a throw or rejection is logged, never escapes.
 */
export function queuedCallback(peer: Peer, userCallback: EventCallback): EventCallback {
  const queue = peer.queue;
  if (queue) return (ev) => queue.postCall(userCallback, ev);
  return (ev) => invokeReporting(userCallback, ev, peer);
}
