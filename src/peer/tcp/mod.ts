/**
 * The TCP peers under cellnet's names: `tcp.Acceptor`, `tcp.Connector`,
 * `tcp.SyncConnector` — the generic peers on the `tcp` protocol, also
 * registered by type name for {@link createPeer}.
 *
 * @example
 * ```ts
 * import { tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
 * console.log(acceptor.typeName); // "tcp.Acceptor"
 * ```
 *
 * @module
 */
import "../../transport/tcp/family.ts";
import { type AcceptorOptions, GenericAcceptor } from "../acceptor.ts";
import { type ConnectorOptions, GenericConnector } from "../connector.ts";
import { registerPeerCreator } from "../peer_registry.ts";
import { GenericSyncConnector, type SyncConnectorOptions } from "../sync_connector.ts";

export type { AcceptorOptions, ConnectorOptions, SyncConnectorOptions };
export { TCPAcceptor as Acceptor, TCPConnector as Connector, TCPSyncConnector as SyncConnector };

/**
 * `tcp.Acceptor` (also exported as `TCPAcceptor`): accepts TCP connections; each becomes a session announced
 * with `SessionAccepted`.
 *
 * @example An echo server
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const acceptor = new tcp.Acceptor({ name: "server", address: "127.0.0.1:0" });
 * bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof Object) ev.reply(ev.message);
 * });
 * await acceptor.start();
 * console.log("listening on", acceptor.port);
 * await acceptor.stop();
 * ```
 */
export class TCPAcceptor extends GenericAcceptor {
  /** Create a TCP acceptor; nothing happens until `start()`. */
  constructor(options: AcceptorOptions) {
    super(options, "tcp.Acceptor", "tcp");
  }
}

/**
 * `tcp.Connector` (also `TCPConnector`): dials one address, owns one session, and redials when
 * `reconnectIntervalMs` is set.
 *
 * @example A client with reconnect
 * ```ts
 * import { bindProcessorHandler, SessionConnected, tcp } from "@cellnet/cellnet";
 * const connector = new tcp.Connector({ address: "127.0.0.1:18801", reconnectIntervalMs: 1000 });
 * bindProcessorHandler(connector, "tcp.ltv", (ev) => {
 *   if (ev.message instanceof SessionConnected) console.log("connected");
 * });
 * await connector.start();
 * await connector.stop();
 * ```
 */
export class TCPConnector extends GenericConnector {
  /** Create a TCP connector; nothing happens until `start()`. */
  constructor(options: ConnectorOptions) {
    super(options, "tcp.Connector", "tcp");
  }
}

/**
 * `tcp.SyncConnector` (also `TCPSyncConnector`): `await start()` resolves once connected and rejects
 * when the dial fails.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, tcp } from "@cellnet/cellnet";
 * const client = new tcp.SyncConnector({ address: "127.0.0.1:17701", connectTimeoutMs: 500 });
 * bindProcessorHandler(client, "tcp.ltv", () => {});
 * await client.start().then(() => client.stop(), (e) => console.error(e.message));
 * ```
 */
export class TCPSyncConnector extends GenericSyncConnector {
  /** Create a TCP sync connector; nothing happens until `start()`. */
  constructor(options: SyncConnectorOptions) {
    super(options, "tcp.SyncConnector", "tcp");
  }
}

registerPeerCreator("tcp.Acceptor", (o) => new TCPAcceptor(o));
registerPeerCreator("tcp.Connector", (o) => new TCPConnector(o));
registerPeerCreator("tcp.SyncConnector", (o) => new TCPSyncConnector(o));
