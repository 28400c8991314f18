/**
 * `createPeer` and cellnet's `NewGenericPeer`, typed through a map from the
 * built-in type names to their classes and options, so users need no cast.
 *
 * @module
 */
import type { Peer } from "../cellnet.ts";
import type { EventQueue } from "../queue/event_queue.ts";
import type { PeerOptions } from "./options.ts";
import { peerCreator } from "./peer_registry.ts";
import type { TCPAcceptor, TCPConnector, TCPSyncConnector } from "./tcp/mod.ts";
import type { AcceptorOptions } from "./acceptor.ts";
import type { ConnectorOptions } from "./connector.ts";
import type { SyncConnectorOptions } from "./sync_connector.ts";
import type {
  WSAcceptor,
  WSAcceptorOptions,
  WSConnector,
  WSConnectorOptions,
  WSSyncConnector,
  WSSyncConnectorOptions,
} from "./gorillaws/mod.ts";

/** The built-in peer types: name → options and class. */
export interface PeerTypes {
  /** See {@link TCPAcceptor}. */
  "tcp.Acceptor": { options: AcceptorOptions; peer: TCPAcceptor };
  /** See {@link TCPConnector}. */
  "tcp.Connector": { options: ConnectorOptions; peer: TCPConnector };
  /** See {@link TCPSyncConnector}. */
  "tcp.SyncConnector": { options: SyncConnectorOptions; peer: TCPSyncConnector };
  /** See {@link WSAcceptor}. */
  "gorillaws.Acceptor": { options: WSAcceptorOptions; peer: WSAcceptor };
  /** See {@link WSConnector}. */
  "gorillaws.Connector": { options: WSConnectorOptions; peer: WSConnector };
  /** See {@link WSSyncConnector}. */
  "gorillaws.SyncConnector": { options: WSSyncConnectorOptions; peer: WSSyncConnector };
}

/**
 * Create a peer by type name; built-in names give their class.
 *
 * @example
 * ```ts
 * import { createPeer } from "@cellnet/cellnet";
 * const peer = createPeer("tcp.Connector", { address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * console.log(peer.reconnectIntervalMs); // 1000: typed as tcp.Connector
 * ```
 */
export function createPeer<N extends keyof PeerTypes>(
  typeName: N,
  options: PeerTypes[N]["options"],
): PeerTypes[N]["peer"];
/** Create a peer of a user-registered type. */
export function createPeer(typeName: string, options: PeerOptions & Record<string, unknown>): Peer;
export function createPeer(typeName: string, options: PeerOptions & Record<string, unknown>): Peer {
  return peerCreator(typeName)(options);
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
export function newGenericPeer<N extends keyof PeerTypes>(
  typeName: N,
  name: string,
  address: string,
  queue?: EventQueue,
): PeerTypes[N]["peer"];
/** cellnet's `NewGenericPeer` for a user-registered type. */
export function newGenericPeer(
  typeName: string,
  name: string,
  address: string,
  queue?: EventQueue,
): Peer;
export function newGenericPeer(
  typeName: string,
  name: string,
  address: string,
  queue?: EventQueue,
): Peer {
  return peerCreator(typeName)({ name, address, queue });
}
