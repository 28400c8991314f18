/**
 * Which runtime is this: a portable check of `globalThis`, with no runtime
 * module imported.
 *
 * @module
 */

/** The names of the built-in runtime adapters. */
export type RuntimeName = "node" | "deno" | "bun";

interface RuntimeGlobals {
  readonly Deno?: { readonly version?: { readonly deno?: unknown } };
  readonly Bun?: { readonly version?: unknown };
  readonly process?: { readonly versions?: { readonly node?: unknown } };
}

/**
 * Name the runtime executing this code, or `undefined` if it is none of Node,
 * Deno and Bun (a browser, say). Deno and Bun are checked first because both
 * also expose a Node-compatible `process`.
 *
 * @example
 * ```ts
 * import { detectRuntime } from "@cellnet/cellnet";
 * console.log(detectRuntime()); // "node", "deno", "bun" or undefined
 * ```
 */
export function detectRuntime(): RuntimeName | undefined {
  const g = globalThis as unknown as RuntimeGlobals;
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (typeof g.Bun?.version === "string") return "bun";
  if (typeof g.process?.versions?.node === "string") return "node";
  return undefined;
}
