/**
 * Peers by cellnet type name: `createPeer("tcp.Acceptor", options)`, and
 * cellnet's `NewGenericPeer(type, name, address, queue)`.
 *
 * @module
 */
import { NotRegisteredError } from "../errors.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import type { PeerOptions } from "./options.ts";
import type { Peer } from "./peer.ts";

/** Makes a peer of one type from options (which may carry type-specific fields). */
export type PeerCreator = (options: PeerOptions & Record<string, unknown>) => Peer;

const creators = new Map<string, PeerCreator>();

/** Register a peer type under a name such as `tcp.Acceptor` (cellnet's `peer.RegisterPeerCreator`). */
export function registerPeerCreator(typeName: string, creator: PeerCreator): void {
  creators.set(typeName, creator);
}

/** Names of every registered peer type. */
export function peerCreatorNames(): string[] {
  return [...creators.keys()];
}

/**
 * Create a peer by type name.
 *
 * @example
 * ```ts
 * import { createPeer } from "@cellnet/cellnet";
 * const peer = createPeer("tcp.Connector", { address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * ```
 */
export function createPeer(typeName: string, options: PeerOptions & Record<string, unknown>): Peer {
  const creator = creators.get(typeName);
  if (!creator) {
    throw new NotRegisteredError(`peer type not registered: '${typeName}' (known: ${peerCreatorNames().join(", ")})`);
  }
  return creator(options);
}

/**
 * cellnet's `peer.NewGenericPeer(peerType, name, addr, queue)`.
 *
 * @example
 * ```ts
 * import { EventQueue, newGenericPeer } from "@cellnet/cellnet";
 * const queue = new EventQueue();
 * const peer = newGenericPeer("tcp.Acceptor", "server", "127.0.0.1:0", queue);
 * ```
 */
export function newGenericPeer(typeName: string, name: string, address: string, queue?: EventQueue): Peer {
  return createPeer(typeName, { name, address, queue });
}
