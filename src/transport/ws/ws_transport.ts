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
import { ConnectError } from "../../errors.ts";
import type {
  Connection,
  ConnectOptions,
  Listener,
  ListenOptions,
  Transport,
} from "../transport.ts";
import { connectWebSocket, type ConnectWebSocketOptions } from "./connect.ts";
import { acceptWebSocket, type AcceptWebSocketOptions } from "./upgrade.ts";

/** What a gorillaws peer passes to its transport (`protocolOptions`). */
export type WebSocketPeerOptions =
  & Omit<AcceptWebSocketOptions, "path">
  & Omit<ConnectWebSocketOptions, "host" | "path">;

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
    async listen(options: ListenOptions): Promise<Listener> {
      const ws = (options.protocolOptions ?? {}) as WebSocketPeerOptions;
      const accept = { ...ws, path: options.path || undefined };
      const onConnection = options.onConnection;
      // Connections still in their handshake: a closed listener destroys
      // them, so a stop does not wait for (or leak) a half-sent request.
      const handshaking = new Set<Connection>();
      let closed = false;
      const listener = await tcp.listen({
        host: options.host,
        port: options.port,
        onConnection(raw: Connection): void {
          if (closed) return raw.close(false);
          handshaking.add(raw);
          // A failed or plain-HTTP handshake has been answered and closed by
          // acceptWebSocket; only upgrades become connections.
          acceptWebSocket(raw, accept).then((conn) => {
            handshaking.delete(raw);
            if (!conn) return;
            if (closed) conn.close(false);
            else onConnection(conn);
          }, () => handshaking.delete(raw));
        },
      });
      return {
        address: listener.address,
        close(): Promise<void> {
          closed = true;
          for (const raw of handshaking) raw.close(false);
          handshaking.clear();
          return listener.close();
        },
      };
    },
    async connect(options: ConnectOptions): Promise<Connection> {
      if (options.scheme === "wss" || options.scheme === "https") {
        // Better a clear refusal than an upgrade request sent in clear to a TLS port.
        throw new ConnectError(
          `connect to ${options.scheme}://${options.host}:${options.port} refused: ` +
            "the ws transport over TCP has no TLS (use ws:// behind a TLS-terminating proxy, or the browser transport)",
        );
      }
      const ws = (options.protocolOptions ?? {}) as WebSocketPeerOptions;
      const raw = await tcp.connect({
        host: options.host,
        port: options.port,
        timeoutMs: options.timeoutMs,
      });
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      return await connectWebSocket(raw, {
        ...ws,
        host: `${host}:${options.port}`,
        path: options.path || "/",
      });
    },
  };
}
