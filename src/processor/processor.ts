/**
 * Processors: cellnet's `proc` package. A processor bundle = transmitter
 * (framing + codec) + hooker (rpc, relay, log) + callback (the user handler,
 * through the peer's event queue when it has one). Processors are
 * registered by name (`tcp.ltv`) and bound to a peer with
 * {@link bindProcessorHandler}.
 *
 * @module
 */
import type { EventCallback, EventHooker, Peer, ProcessorBundle } from "../cellnet.ts";
import { NotRegisteredError } from "../errors.ts";
import { invokeReporting } from "../queue/event_queue.ts";
import { chainHookers } from "./hooker.ts";

/** Builds a bundle for a peer from the user's handler (cellnet's `ProcessorBinder`). */
export type ProcessorCreator = (peer: Peer, userCallback: EventCallback) => ProcessorBundle;

/** Options of {@link bindProcessorHandler}. */
export interface BindOptions {
  /** Hookers run after the processor's own, in order (rpc, relay, a message log). */
  readonly hookers?: readonly EventHooker[];
}

const processors = new Map<string, ProcessorCreator>();
// The bundle of each bound peer. Kept here rather than on the peer so that
// binding is not part of the public Peer interface.
const bundles = new WeakMap<Peer, ProcessorBundle>();

/**
 * Register a processor under a name, e.g. `tcp.ltv` (cellnet's `proc.RegisterProcessor`).
 *
 * @example A tcp.ltv variant that logs every inbound message
 * ```ts
 * import { LTVTransmitter, queuedCallback, registerProcessor } from "@cellnet/cellnet";
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

/**
 * Names of every registered processor.
 *
 * @example
 * ```ts
 * import { processorNames } from "@cellnet/cellnet";
 * console.log(processorNames().includes("tcp.ltv")); // true
 * ```
 */
export function processorNames(): string[] {
  return [...processors.keys()];
}

/**
 * Attach a processor and the user's handler to a peer, before `start()`
 * (cellnet's `proc.BindProcessorHandler`). `options.hookers` run after the
 * processor's own hookers.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => console.log(ev.message), {
 *   hookers: [{ onInboundEvent: (ev) => ev }],
 * });
 * ```
 */
export function bindProcessorHandler(
  peer: Peer,
  processorName: string,
  userCallback: EventCallback,
  options: BindOptions = {},
): void {
  const creator = processors.get(processorName);
  if (!creator) {
    throw new NotRegisteredError(
      `processor not registered: '${processorName}' (known: ${
        processorNames().join(", ") || "none"
      })`,
    );
  }
  const bundle = creator(peer, userCallback);
  const extra = options.hookers ?? [];
  bundles.set(
    peer,
    extra.length === 0 ? bundle : { ...bundle, hooker: chainHookers([bundle.hooker, ...extra]) },
  );
}

/** The bundle bound to `peer`; throws {@link NotRegisteredError} if none was bound. */
export function peerBundle(peer: Peer): ProcessorBundle {
  const bundle = bundles.get(peer);
  if (!bundle) {
    throw new NotRegisteredError(
      `peer '${peer.name}' has no processor: call bindProcessorHandler(peer, "tcp.ltv", handler) before start`,
    );
  }
  return bundle;
}

/**
 * Wrap the user's handler so events go through the peer's queue when it has
 * one, or are called at once otherwise (cellnet's `NewQueuedEventCallback`).
 * Either way a throw or rejection is logged, never escapes.
 *
 * @example
 * ```ts
 * import { queuedCallback, tcp } from "@cellnet/cellnet";
 * const peer = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * const callback = queuedCallback(peer, (ev) => console.log(ev.message));
 * ```
 */
export function queuedCallback(peer: Peer, userCallback: EventCallback): EventCallback {
  const queue = peer.queue;
  if (queue) return (ev) => queue.postCall(userCallback, ev);
  return (ev) => invokeReporting(userCallback, ev, peer);
}
