/**
 * The `tcp` protocol family: addresses are `host:port`, `:port` (all
 * interfaces) or `[v6]:port`, as cellnet writes them.
 *
 * @module
 */
import type { Endpoint, ProtocolFamily } from "../registry.ts";
import { registerProtocol } from "../registry.ts";

/**
 * Split `host:port` (or `[v6]:port`); throws TypeError when malformed.
 *
 * @example
 * ```ts
 * import { parseAddress } from "@cellnet/cellnet";
 * console.log(parseAddress("[::1]:18801")); // { host: "::1", port: 18801 }
 * ```
 */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:/]*)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new TypeError(`address must be "host:port" (IPv6 as "[::1]:port"), got "${address}"`);
  }
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

/** The tcp family, registered on import. */
export const tcpFamily: ProtocolFamily = {
  name: "tcp",
  parseAddress(address: string): Endpoint {
    return { ...parseAddress(address), path: "", scheme: "" };
  },
};

registerProtocol(tcpFamily);
