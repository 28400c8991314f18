/**
 * The protocol × runtime registry. A protocol family (`tcp`, later `ws`,
 * `udp`) brings its address parser; each runtime registers a loader for the
 * transport that speaks the protocol there. Peers look their transport up
 * by (protocol, runtime) when they start, so the core never names a
 * runtime module.
 *
 * @module
 */
import { NotRegisteredError, RuntimeNotSupportedError } from "../errors.ts";
import { detectRuntime } from "./runtime.ts";
import type { Transport } from "./transport.ts";

/** Where a peer listens or dials, parsed from its address string. */
export interface Endpoint {
  /** Host name or IP literal (IPv6 without brackets); `0.0.0.0` when the address left it out. */
  readonly host: string;
  /** Port number; 0 asks the OS for an ephemeral port (acceptors). */
  readonly port: number;
  /** Path, for protocols that have one (`/chat`); `""` otherwise. */
  readonly path: string;
  /** Scheme, when the address had one (`ws`, `http`); `""` otherwise. */
  readonly scheme: string;
}

/** A protocol: its name and how its addresses are written. */
export interface ProtocolFamily {
  /** Registry key, e.g. `tcp`. */
  readonly name: string;
  /** Port used when an address leaves it out, if the protocol has one. */
  readonly defaultPort?: number;
  /** Parse an address; throws `TypeError` when it is malformed. */
  parseAddress(address: string): Endpoint;
}

/** Loads a transport on demand (dynamic `import()` keeps other runtimes' modules out). */
export type TransportLoader = () => Promise<Transport>;

const families = new Map<string, ProtocolFamily>();
const loaders = new Map<string, TransportLoader>();
const loaded = new Map<string, Promise<Transport>>();
const key = (protocol: string, runtime: string): string => `${protocol}/${runtime}`;

/**
 * Register a protocol family under its name.
 *
 * @example
 * ```ts
 * import { protocolFamily, registerProtocol } from "@cellnet/cellnet";
 * registerProtocol(protocolFamily("tcp")); // already registered: replaces itself
 * ```
 */
export function registerProtocol(family: ProtocolFamily): void {
  families.set(family.name, family);
}

/**
 * The family registered as `name`; throws {@link NotRegisteredError} when unknown.
 *
 * @example
 * ```ts
 * import { protocolFamily } from "@cellnet/cellnet";
 * console.log(protocolFamily("tcp").parseAddress("127.0.0.1:18801").port); // 18801
 * ```
 */
export function protocolFamily(name: string): ProtocolFamily {
  const family = families.get(name);
  if (!family) {
    throw new NotRegisteredError(
      `protocol not registered: '${name}' (known: ${[...families.keys()].join(", ") || "none"})`,
    );
  }
  return family;
}

/**
 * Register how to load the transport of `protocol` on `runtime` (a built-in
 * runtime name, or any name a user passes as the peer's `transport` option).
 * Replaces an earlier registration and forgets a transport it loaded.
 *
 * @example A transport registered eagerly
 * ```ts
 * import { loadTransport, registerTransport } from "@cellnet/cellnet";
 * const tcp = await loadTransport();
 * registerTransport("tcp", "mine", () => Promise.resolve(tcp));
 * console.log((await loadTransport("mine")).name);
 * ```
 */
export function registerTransport(
  protocol: string,
  runtime: string,
  loader: TransportLoader,
): void {
  loaders.set(key(protocol, runtime), loader);
  loaded.delete(key(protocol, runtime));
}

/**
 * Every registered (protocol, runtime) pair, e.g. `["tcp", "node"]`.
 *
 * @example
 * ```ts
 * import { registeredTransports } from "@cellnet/cellnet";
 * console.log(registeredTransports());
 * ```
 */
export function registeredTransports(): [protocol: string, runtime: string][] {
  return [...loaders.keys()].map((k) => k.split("/") as [string, string]);
}

/**
 * Get a {@link Transport}: for `protocol` (default `tcp`) on the current
 * runtime when `which` is omitted, on the named runtime, or `which` itself
 * when it already is a transport. Loaded once and cached.
 *
 * Where no runtime is detected (a web page) the runtime is `"browser"`.
 * Rejects with {@link RuntimeNotSupportedError} when nothing is registered for the pair (the `./core` entry registers
 * none: import `./node`, `./deno`, `./bun` or the main entry), or when the
 * transport fails to load or cannot run here. `"node"` also works under
 * Deno and Bun, through their `node:net` compatibility.
 *
 * @example
 * ```ts
 * import { loadTransport } from "@cellnet/cellnet";
 * const transport = await loadTransport();
 * const listener = await transport.listen({
 *   host: "127.0.0.1",
 *   port: 0,
 *   onConnection: (conn) => conn.setHandler({
 *     onData: (chunk) => conn.write(chunk),
 *     onDrain: () => {},
 *     onClose: () => {},
 *   }),
 * });
 * console.log(`echo server on port ${listener.address.port}`);
 * await listener.close();
 * ```
 */
export function loadTransport(which?: string | Transport, protocol = "tcp"): Promise<Transport> {
  if (typeof which === "object" && which !== null) return Promise.resolve(which);
  // Not Node, Deno or Bun: a web page, whose transports register as "browser".
  const runtime = which ?? detectRuntime() ?? "browser";
  const k = key(protocol, runtime);
  let loading = loaded.get(k);
  if (loading !== undefined) return loading;
  const loader = loaders.get(k);
  if (loader === undefined) {
    const known = registeredTransports().map(([p, r]) => `${p}/${r}`).join(", ") || "none";
    return Promise.reject(
      new RuntimeNotSupportedError(
        `no ${protocol} transport registered for "${runtime}" (registered: ${known}); ` +
          `import the main entry or the runtime's entry (./node, ./deno, ./bun), or pass a transport`,
      ),
    );
  }
  loading = loader().catch((err: unknown) => {
    // Forget the failure so a later call can try again.
    loaded.delete(k);
    if (err instanceof RuntimeNotSupportedError) throw err;
    throw new RuntimeNotSupportedError(`the ${runtime} ${protocol} transport failed to load`, {
      cause: err,
    });
  });
  loaded.set(k, loading);
  return loading;
}
