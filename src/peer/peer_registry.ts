/**
 * Peers by cellnet type name: cellnet's `peer.RegisterPeerCreator`. Use
 * `createPeer` (typed per built-in name) to make one.
 *
 * @module
 */
import type { Peer } from "../cellnet.ts";
import { NotRegisteredError } from "../errors.ts";
import type { PeerOptions } from "./options.ts";

/** Makes a peer of one type from options (which may carry type-specific fields). */
export type PeerCreator = (options: PeerOptions & Record<string, unknown>) => Peer;

const creators = new Map<string, PeerCreator>();

/**
 * Register a peer type under a name such as `tcp.Acceptor` (cellnet's `peer.RegisterPeerCreator`).
 *
 * @example
 * ```ts
 * import { registerPeerCreator, tcp } from "@cellnet/cellnet";
 * registerPeerCreator("doc.Acceptor", (o) => new tcp.Acceptor(o));
 * ```
 */
export function registerPeerCreator(typeName: string, creator: PeerCreator): void {
  creators.set(typeName, creator);
}

/**
 * Names of every registered peer type.
 *
 * @example
 * ```ts
 * import { peerCreatorNames } from "@cellnet/cellnet";
 * console.log(peerCreatorNames()); // ["tcp.Acceptor", "tcp.Connector", "tcp.SyncConnector", …]
 * ```
 */
export function peerCreatorNames(): string[] {
  return [...creators.keys()];
}

/** The creator registered as `typeName`; throws {@link NotRegisteredError} when unknown. */
export function peerCreator(typeName: string): PeerCreator {
  const creator = creators.get(typeName);
  if (!creator) {
    throw new NotRegisteredError(
      `peer type not registered: '${typeName}' (known: ${peerCreatorNames().join(", ")})`,
    );
  }
  return creator;
}
