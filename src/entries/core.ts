/**
 * `@cellnet/cellnet/core`: everything portable, the TCP peers included, and
 * no runtime adapter (no reference to one, static or dynamic). Register a
 * transport yourself with `registerTransport`, or use `./node`, `./deno`,
 * `./bun` or the main entry, which do.
 *
 * @example
 * ```ts
 * import { registeredTransports, tcp } from "@cellnet/cellnet/core";
 * console.log(typeof tcp.Acceptor, registeredTransports());
 * ```
 *
 * @module
 */
export * from "./_common.ts";
export { parseAddress } from "../transport/tcp/family.ts";
export * as tcp from "../peer/tcp/mod.ts";
// The same classes under flat names too (and so in the generated docs).
export { TCPAcceptor, TCPConnector, TCPSyncConnector } from "../peer/tcp/mod.ts";
