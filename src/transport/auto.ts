/**
 * Registers the built-in TCP transports for Node, Deno and Bun as lazy
 * loaders, so the main entry works on each runtime while loading only that
 * runtime's module (Deno never loads `node:net` unless asked for the node
 * adapter, Node never touches `Deno`). Bundlers for the browser should use
 * the `./browser` or `./core` entry, which do not import this file.
 *
 * @module
 */
import { RuntimeNotSupportedError } from "../errors.ts";
import { loadTransport, registerTransport } from "./registry.ts";
import { webSocketOverTcp } from "./ws/ws_transport.ts";
import { detectRuntime, type RuntimeName } from "./runtime.ts";
import type { Transport } from "./transport.ts";

/** The node adapter also runs under Deno and Bun (their `node:net`); the others only at home. */
function requireRuntime(name: RuntimeName): void {
  const here = detectRuntime();
  if (name === "node" ? here !== undefined : here === name) return;
  throw new RuntimeNotSupportedError(
    `the ${name} transport cannot run here: this runtime is ${here ?? "unknown"}`,
  );
}

const load = async (name: RuntimeName, get: () => Promise<Transport>): Promise<Transport> => {
  requireRuntime(name);
  return await get();
};

/**
 * The codecs get Node's or Bun's native string helpers
 * (src/transport/tcp/node_strings.ts) as soon as this module loads; it changes speed
 * only, never output, so until it is in (or if it fails) the portable path runs.
 */
async function nativeStrings(): Promise<void> {
  const here = detectRuntime();
  if (here !== "node" && here !== "bun") return;
  try {
    (await import("./tcp/node_strings.ts")).installNativeStrings(here === "bun" ? "jsc" : "v8");
  } catch {
    // The portable path stays.
  }
}

registerTransport(
  "tcp",
  "node",
  () => load("node", async () => (await import("./tcp/node.ts")).nodeTransport),
);
registerTransport(
  "tcp",
  "deno",
  () => load("deno", async () => (await import("./tcp/deno.ts")).denoTransport),
);
registerTransport(
  "tcp",
  "bun",
  () => load("bun", async () => (await import("./tcp/bun.ts")).bunTransport),
);

// WebSocket (gorillaws) is RFC 6455 over each runtime's TCP transport.
for (const runtime of ["node", "deno", "bun"] as const) {
  registerTransport(
    "ws",
    runtime,
    async () => webSocketOverTcp(await loadTransport(runtime, "tcp")),
  );
}

// Where these lived before the registry; kept so existing imports work.
export { detectRuntime } from "./runtime.ts";
export { loadTransport };

void nativeStrings();
