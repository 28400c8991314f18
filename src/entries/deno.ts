/**
 * `@cellnet/cellnet/deno`: the core with the Deno TCP transport registered
 * eagerly (no detection, no dynamic import): for bundles and for programs
 * that name their runtime.
 *
 * @example
 * ```ts
 * import { registeredTransports } from "@cellnet/cellnet/deno";
 * console.log(registeredTransports()); // [["tcp", "deno"], …]
 * ```
 *
 * @module
 */
import { registerTransport } from "../transport/registry.ts";
import { webSocketOverTcp } from "../transport/ws/ws_transport.ts";
import { denoTransport } from "../transport/tcp/deno.ts";

registerTransport("tcp", "deno", () => Promise.resolve(denoTransport));
registerTransport("ws", "deno", () => Promise.resolve(webSocketOverTcp(denoTransport)));

export * from "./core.ts";
export { denoTransport };
