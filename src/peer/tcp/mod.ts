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
import { Acceptor as GenericAcceptor, type AcceptorOptions } from "../acceptor.ts";
import { Connector as GenericConnector, type ConnectorOptions } from "../connector.ts";
import { registerPeerCreator } from "../peer_registry.ts";
import { SyncConnector as GenericSyncConnector, type SyncConnectorOptions } from "../sync_connector.ts";

export type { AcceptorOptions, ConnectorOptions, SyncConnectorOptions };

/**
 * `tcp.Acceptor`: accepts TCP connections; each becomes a session announced
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
export class Acceptor extends GenericAcceptor {
  /** Create a TCP acceptor; nothing happens until `start()`. */
  constructor(options: AcceptorOptions) {
    super(options, "tcp.Acceptor", "tcp");
  }
}

/**
 * `tcp.Connector`: dials one address, owns one session, and redials when
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
export class Connector extends GenericConnector {
  /** Create a TCP connector; nothing happens until `start()`. */
  constructor(options: ConnectorOptions) {
    super(options, "tcp.Connector", "tcp");
  }
}

/**
 * `tcp.SyncConnector`: `await start()` resolves once connected and rejects
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
export class SyncConnector extends GenericSyncConnector {
  /** Create a TCP sync connector; nothing happens until `start()`. */
  constructor(options: SyncConnectorOptions) {
    super(options, "tcp.SyncConnector", "tcp");
  }
}

registerPeerCreator("tcp.Acceptor", (o) => new Acceptor(o));
registerPeerCreator("tcp.Connector", (o) => new Connector(o));
registerPeerCreator("tcp.SyncConnector", (o) => new SyncConnector(o));
