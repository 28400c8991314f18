/**
 * `@cellnet/cellnet/bun`: the core with the Bun TCP transport registered
 * eagerly (no detection, no dynamic import): for bundles and for programs
 * that name their runtime.
 *
 * @example
 * ```ts
 * import { registeredTransports } from "@cellnet/cellnet/bun";
 * console.log(registeredTransports()); // [["tcp", "bun"], …]
 * ```
 *
 * @module
 */
import { registerTransport } from "../transport/registry.ts";
import { installNativeStrings } from "../transport/tcp/node_strings.ts";
import { webSocketOverTcp } from "../transport/ws/ws_transport.ts";
import { bunTransport } from "../transport/tcp/bun.ts";

registerTransport("tcp", "bun", () => Promise.resolve(bunTransport));
registerTransport("ws", "bun", () => Promise.resolve(webSocketOverTcp(bunTransport)));
// The codecs' strings through Buffer#latin1Slice / #utf8Write (on JSC faster at any length).
installNativeStrings("jsc");

export * from "./core.ts";
export { bunTransport };
