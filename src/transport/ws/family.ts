/**
 * The `ws` protocol family (gorillaws): addresses as cellnet writes them,
 * `[scheme://]host:port[/path]` — `http://127.0.0.1:18802/echo`,
 * `ws://…`, `wss://…`, or `127.0.0.1:18802/echo`. The scheme may be left
 * out; without a port, `ws`/`http` use 80 and `wss`/`https` 443. IPv6 hosts
 * go in brackets (`ws://[::1]:18802/chat`), which cellnet cannot parse.
 *
 * @module
 */
import type { Endpoint, ProtocolFamily } from "../registry.ts";
import { registerProtocol } from "../registry.ts";

const ADDRESS =
  /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:\[([^\]]+)\]|([^:/?#\[\]]*))(?::(\d{1,5}))?(\/[^?#]*)?(?:\?[^#]*)?$/i;
const SECURE = new Set(["wss", "https"]);
const SCHEMES = new Set(["ws", "wss", "http", "https"]);

/**
 * Parse a WebSocket address; throws TypeError when malformed.
 *
 * @example
 * ```ts
 * import { parseWebSocketAddress } from "@cellnet/cellnet";
 * console.log(parseWebSocketAddress("http://127.0.0.1:18802/echo"));
 * // { host: "127.0.0.1", port: 18802, path: "/echo", scheme: "http" }
 * ```
 */
export function parseWebSocketAddress(address: string): Endpoint {
  const m = ADDRESS.exec(address);
  const scheme = (m?.[1] ?? "").toLowerCase();
  if (!m || (scheme !== "" && !SCHEMES.has(scheme)) || (m[4] === undefined && scheme === "")) {
    throw new TypeError(
      `address must be "[ws|wss|http|https://]host:port[/path]" (IPv6 as "[::1]"), got "${address}"`,
    );
  }
  const port = m[4] === undefined ? (SECURE.has(scheme) ? 443 : 80) : Number(m[4]);
  if (port > 65535) throw new TypeError(`port out of range in "${address}"`);
  return { host: m[2] ?? (m[3] || "0.0.0.0"), port, path: m[5] ?? "", scheme };
}

/** The ws family, registered on import. */
export const wsFamily: ProtocolFamily = {
  name: "ws",
  defaultPort: 80,
  parseAddress: parseWebSocketAddress,
};

registerProtocol(wsFamily);
