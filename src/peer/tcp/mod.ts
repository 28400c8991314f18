/**
 * The TCP peers under cellnet's names: `tcp.Acceptor`, `tcp.Connector`,
 * `tcp.SyncConnector`.
 *
 * @module
 */
import { registerPeerCreator } from "../peer_registry.ts";
import { type AcceptorOptions, TCPAcceptor } from "./acceptor.ts";
import { type ConnectorOptions, TCPConnector } from "./connector.ts";
import { type SyncConnectorOptions, TCPSyncConnector } from "./sync_connector.ts";

export { type AcceptorOptions, TCPAcceptor as Acceptor };
export { type ConnectorOptions, TCPConnector as Connector };
export { type SyncConnectorOptions, TCPSyncConnector as SyncConnector };

registerPeerCreator("tcp.Acceptor", (o) => new TCPAcceptor(o));
registerPeerCreator("tcp.Connector", (o) => new TCPConnector(o));
registerPeerCreator("tcp.SyncConnector", (o) => new TCPSyncConnector(o));
