/**
 * The `ws` transport for Node, Deno and Bun: RFC 6455 over the runtime's TCP
 * transport, so one implementation (src/transport/ws/) serves all three.
 * A listener answers each accepted byte connection's HTTP request (the
 * upgrade, a plain request handler, or 404), and hands on only completed
 * WebSocket connections; a dial connects TCP, then does the client
 * handshake.
 *
 * @module
 */
import type { ConnectOptions, Connection, Listener, ListenOptions, Transport } from "../transport.ts";
import { type ConnectWebSocketOptions, connectWebSocket } from "./connect.ts";
import { type AcceptWebSocketOptions, acceptWebSocket } from "./upgrade.ts";

/** What a gorillaws peer passes to its transport (`protocolOptions`). */
export type WebSocketPeerOptions = Omit<AcceptWebSocketOptions, "path"> & Omit<ConnectWebSocketOptions, "host" | "path">;

/**
 * WebSocket over `tcp`, a byte-stream transport.
 *
 * @example A ws transport on this runtime's TCP
 * ```ts
 * import { loadTransport, webSocketOverTcp } from "@cellnet/cellnet";
 * const ws = webSocketOverTcp(await loadTransport());
 * console.log(ws.name); // e.g. "ws+node"
 * ```
 */
export function webSocketOverTcp(tcp: Transport): Transport {
  return {
    name: `ws+${tcp.name}`,
    listen(options: ListenOptions): Promise<Listener> {
      const ws = (options.protocolOptions ?? {}) as WebSocketPeerOptions;
      const accept = { ...ws, path: options.path || undefined };
      const onConnection = options.onConnection;
      return tcp.listen({
        host: options.host,
        port: options.port,
        onConnection(raw: Connection): void {
          // A failed or plain-HTTP handshake has been answered and closed by
          // acceptWebSocket; only upgrades become connections.
          acceptWebSocket(raw, accept).then((conn) => {
            if (conn) onConnection(conn);
          }, () => {});
        },
      });
    },
    async connect(options: ConnectOptions): Promise<Connection> {
      const ws = (options.protocolOptions ?? {}) as WebSocketPeerOptions;
      const raw = await tcp.connect({ host: options.host, port: options.port, timeoutMs: options.timeoutMs });
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      return await connectWebSocket(raw, { ...ws, host: `${host}:${options.port}`, path: options.path || "/" });
    },
  };
}
