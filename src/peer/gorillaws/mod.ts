/**
 * The WebSocket peers under cellnet's names: `gorillaws.Acceptor`,
 * `gorillaws.Connector`, `gorillaws.SyncConnector` — the generic peers on
 * the `ws` protocol (RFC 6455 over each runtime's TCP; in a browser the
 * platform's WebSocket), with processor `gorillaws.ltv`. Addresses as
 * cellnet writes them: `http://127.0.0.1:18802/echo`, `ws://…`,
 * `127.0.0.1:18802/echo`.
 *
 * @example
 * ```ts
 * import { gorillaws } from "@cellnet/cellnet";
 * const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/echo" });
 * console.log(acceptor.typeName); // "gorillaws.Acceptor"
 * ```
 *
 * @module
 */
import "../../transport/ws/family.ts";
import type { CoreSession } from "../../session/session.ts";
import type { Connection } from "../../transport/transport.ts";
import type { WSRequestInfo } from "../../transport/ws/ws_connection.ts";
import type { WebSocketPeerOptions } from "../../transport/ws/ws_transport.ts";
import { type AcceptorOptions, GenericAcceptor } from "../acceptor.ts";
import type { ResolvedSessionOptions } from "../options.ts";
import { type ConnectorOptions, GenericConnector } from "../connector.ts";
import { registerPeerCreator } from "../peer_registry.ts";
import { GenericSyncConnector, type SyncConnectorOptions } from "../sync_connector.ts";

/** WebSocket options every gorillaws peer takes. */
export interface WebSocketOptions {
  /**
   * The WebSocket layer: `maxPacketSize` of a whole message (default 1 MiB,
   * close 1009 past it; the peer's own `maxPacketSize`, when set, bounds it
   * too: a message of `maxPacketSize` bytes or more is refused, as over
   * TCP), `frameTimeoutMs` (the peer's, 30 s by default: a frame left part
   * way that long is closed with 1008, reason Timeout), `maxFragments`
   * (1024, close 1008), `text`
   * (`"refuse"`: close 1003, the default; `"deliver"`), `handshakeTimeoutMs`
   * (10 s), `closeTimeoutMs` (2 s), header limits, and on an acceptor
   * `onRequest`, which answers plain HTTP requests (without it: 404).
   */
  readonly webSocket?: WebSocketPeerOptions;
}

/** The session context key under which an acceptor's sessions keep their upgrade request (cellnet's). */
const REQUEST = "request";

/**
 * What the ws transport gets: the WebSocket options, with the peer's
 * `maxPacketSize` (id + body, refused when `>=`, as over TCP) applied to
 * the whole message, so an oversized one is refused (1009) before it is
 * buffered, and the peer's `frameTimeoutMs` unless the options set one.
 */
function layerOptions(
  ws: WebSocketPeerOptions | undefined,
  session: ResolvedSessionOptions,
): WebSocketPeerOptions {
  const peerMax = session.maxPacketSize;
  const own = ws?.maxPacketSize;
  const limit = peerMax > 0 ? peerMax - 1 : undefined;
  const maxPacketSize = limit === undefined
    ? own
    : own === undefined
    ? limit
    : Math.min(own, limit);
  // The peer's frameTimeoutMs cuts off a frame left part way, as over TCP.
  return { ...ws, maxPacketSize, frameTimeoutMs: ws?.frameTimeoutMs ?? session.frameTimeoutMs };
}

/** Options of `gorillaws.Acceptor`. */
export interface WSAcceptorOptions extends AcceptorOptions, WebSocketOptions {}
/** Options of `gorillaws.Connector`. */
export interface WSConnectorOptions extends ConnectorOptions, WebSocketOptions {}
/** Options of `gorillaws.SyncConnector`. */
export interface WSSyncConnectorOptions extends SyncConnectorOptions, WebSocketOptions {}

/**
 * `gorillaws.Acceptor` (also exported as `WSAcceptor`): serves WebSocket
 * upgrades on its path; each becomes a session announced with
 * `SessionAccepted`, its upgrade request (url, headers, remote address) kept
 * as session context `"request"` (a {@link WSRequestInfo}, as cellnet keeps
 * its `*http.Request`). Other requests get `webSocket.onRequest`'s answer or
 * 404. `stop()` closes the listener and every session with 1001 (going
 * away).
 *
 * @example An echo server on a path
 * ```ts
 * import { bindProcessorHandler, gorillaws } from "@cellnet/cellnet";
 * const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/echo" });
 * bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
 *   if (ev.message instanceof Object) ev.reply(ev.message);
 * });
 * await acceptor.start();
 * console.log("listening on", acceptor.port);
 * await acceptor.stop();
 * ```
 *
 * @example Who connected, from the upgrade request
 * ```ts
 * import { bindProcessorHandler, gorillaws, SessionAccepted, type WSRequestInfo } from "@cellnet/cellnet";
 * const acceptor = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/chat" });
 * bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
 *   if (ev.message instanceof SessionAccepted) {
 *     const req = ev.session.getContext<WSRequestInfo>("request")!;
 *     console.log(req.url, req.headers["user-agent"], req.remoteAddress.host);
 *   }
 * });
 * ```
 */
export class WSAcceptor extends GenericAcceptor {
  readonly #webSocket: WebSocketPeerOptions | undefined;
  /** Create a WebSocket acceptor; nothing happens until `start()`. */
  constructor(options: WSAcceptorOptions) {
    super(options, "gorillaws.Acceptor", "ws");
    this.#webSocket = options.webSocket;
  }
  /** Keep the upgrade request as session context `"request"`. */
  protected override prepareSession(session: CoreSession, conn: Connection): void {
    const request = (conn as { readonly request?: WSRequestInfo }).request;
    if (request !== undefined) session.setContext(REQUEST, request);
  }
  /** The WebSocket options, for the ws transport. */
  protected override protocolOptions(): object | undefined {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
}

/**
 * `gorillaws.Connector` (also `WSConnector`): dials a WebSocket address,
 * redials when `reconnectIntervalMs` is set, keeps messages until connected.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, gorillaws, SessionConnected } from "@cellnet/cellnet";
 * const client = new gorillaws.Connector({ address: "ws://127.0.0.1:18802/chat", reconnectIntervalMs: 1000 });
 * bindProcessorHandler(client, "gorillaws.ltv", (ev) => {
 *   if (ev.message instanceof SessionConnected) console.log("connected");
 * });
 * ```
 */
export class WSConnector extends GenericConnector {
  readonly #webSocket: WebSocketPeerOptions | undefined;
  /** Create a WebSocket connector; nothing happens until `start()`. */
  constructor(options: WSConnectorOptions) {
    super(options, "gorillaws.Connector", "ws");
    this.#webSocket = options.webSocket;
  }
  /** The WebSocket options, for the ws transport. */
  protected override protocolOptions(): object | undefined {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
}

/**
 * `gorillaws.SyncConnector` (also `WSSyncConnector`): `await start()`
 * resolves once the WebSocket is open, rejects when the dial or handshake fails.
 *
 * @example
 * ```ts
 * import { bindProcessorHandler, gorillaws } from "@cellnet/cellnet";
 * const client = new gorillaws.SyncConnector({ address: "ws://127.0.0.1:18802/echo", connectTimeoutMs: 500 });
 * bindProcessorHandler(client, "gorillaws.ltv", () => {});
 * await client.start().then(() => client.stop(), (e) => console.error(e.message));
 * ```
 */
export class WSSyncConnector extends GenericSyncConnector {
  readonly #webSocket: WebSocketPeerOptions | undefined;
  /** Create a WebSocket sync connector; nothing happens until `start()`. */
  constructor(options: WSSyncConnectorOptions) {
    super(options, "gorillaws.SyncConnector", "ws");
    this.#webSocket = options.webSocket;
  }
  /** The WebSocket options, for the ws transport. */
  protected override protocolOptions(): object | undefined {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
}

export { WSAcceptor as Acceptor, WSConnector as Connector, WSSyncConnector as SyncConnector };

registerPeerCreator("gorillaws.Acceptor", (o) => new WSAcceptor(o));
registerPeerCreator("gorillaws.Connector", (o) => new WSConnector(o));
registerPeerCreator("gorillaws.SyncConnector", (o) => new WSSyncConnector(o));
