/**
 * Which runtime is this, and which {@link Transport} goes with it.
 *
 * Adapters are imported on demand, so a runtime only ever loads its own
 * (Deno and browsers never load `node:net`, Node never touches `Deno`).
 *
 * @module
 */

import { RuntimeNotSupportedError } from "../errors.ts";
import type { RuntimeName, Transport } from "./transport.ts";

interface RuntimeGlobals {
  readonly Deno?: { readonly version?: { readonly deno?: unknown } };
  readonly Bun?: { readonly version?: unknown };
  readonly process?: { readonly versions?: { readonly node?: unknown } };
}

/**
 * Name the runtime executing this code, or `undefined` if it is none of Node,
 * Deno and Bun (a browser, say). Deno and Bun are checked first because both
 * also expose a Node-compatible `process`.
 */
export function detectRuntime(): RuntimeName | undefined {
  const g = globalThis as unknown as RuntimeGlobals;
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (typeof g.Bun?.version === "string") return "bun";
  if (typeof g.process?.versions?.node === "string") return "node";
  return undefined;
}

/** Whether the named adapter can run in the current runtime. */
function canRun(name: RuntimeName, here: RuntimeName | undefined): boolean {
  // node:net is also provided by Deno's and Bun's Node compatibility layers.
  if (name === "node") return here !== undefined;
  return name === here;
}

const cache = new Map<RuntimeName, Promise<Transport>>();

async function importAdapter(name: RuntimeName): Promise<Transport> {
  switch (name) {
    case "node":
      return (await import("./tcp/node.ts")).nodeTransport;
    case "deno":
      return (await import("./tcp/deno.ts")).denoTransport;
    case "bun":
      return (await import("./tcp/bun.ts")).bunTransport;
  }
}

/**
 * Get a {@link Transport}: the adapter for the current runtime when `which` is
 * omitted, the named built-in adapter, or `which` itself when it already is a
 * transport (for custom ones). Adapters are loaded once and cached.
 *
 * Rejects with {@link RuntimeNotSupportedError} when no runtime is detected,
 * when the named adapter cannot run here (`"bun"` under Node, say), or when
 * its module fails to load. `"node"` also works under Deno and Bun, through
 * their `node:net` compatibility.
 *
 * @example
 * ```ts
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
 * ```
 */
export async function loadTransport(which?: RuntimeName | Transport): Promise<Transport> {
  if (typeof which === "object" && which !== null) return which;
  const here = detectRuntime();
  const name = which ?? here;
  if (name === undefined) {
    throw new RuntimeNotSupportedError(
      "no supported runtime detected: cellnet-ts needs Node.js 20+, Deno 2 or Bun",
    );
  }
  if (name !== "node" && name !== "deno" && name !== "bun") {
    throw new RuntimeNotSupportedError(`unknown runtime adapter "${String(name)}"`);
  }
  if (!canRun(name, here)) {
    throw new RuntimeNotSupportedError(
      `the ${name} transport cannot run here: this runtime is ${here ?? "unknown"}`,
    );
  }
  let loading = cache.get(name);
  if (loading === undefined) {
    loading = importAdapter(name).catch((err: unknown) => {
      // Forget the failure so a later call can try again.
      cache.delete(name);
      throw new RuntimeNotSupportedError(`the ${name} transport failed to load`, { cause: err });
    });
    cache.set(name, loading);
  }
  return loading;
}
