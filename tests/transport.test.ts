/**
 * Runtime detection and adapter loading (src/transport/auto.ts). What every
 * adapter must do once loaded is in transport_contract.test.ts.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { RuntimeNotSupportedError } from "../src/errors.ts";
import { detectRuntime, loadTransport } from "../src/transport/auto.ts";
import type { RuntimeName } from "../src/transport/transport.ts";

const HOST = "127.0.0.1";
const OPTS = { timeout: 10000 };

/** What the runtime says about itself, independently of detectRuntime(). */
function runtimeFromUserAgent(): RuntimeName {
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? "";
  if (ua.startsWith("Deno/")) return "deno";
  if (ua.startsWith("Bun/")) return "bun";
  // Node 20 has no navigator; later versions say "Node.js/...".
  return "node";
}

test("detectRuntime names the runtime running the test", OPTS, async () => {
  const runtime = detectRuntime();
  assert.equal(runtime, runtimeFromUserAgent());
  const transport = await loadTransport();
  assert.equal(transport.name, runtime);
  assert.equal(await loadTransport(), transport, "the adapter is cached");
  assert.equal(await loadTransport(runtime), transport);
  assert.equal(await loadTransport(transport), transport, "a Transport is passed through");
});

test("loadTransport rejects an adapter for a runtime that is not present", OPTS, async () => {
  const other: RuntimeName = detectRuntime() === "deno" ? "bun" : "deno";
  await assert.rejects(loadTransport(other), (err: unknown) => {
    assert.ok(err instanceof RuntimeNotSupportedError);
    assert.match(err.message, new RegExp(other));
    return true;
  });
  // Used directly, the adapter itself refuses to run outside its runtime.
  const adapter = other === "bun"
    ? (await import("../src/transport/tcp/bun.ts")).bunTransport
    : (await import("../src/transport/tcp/deno.ts")).denoTransport;
  await assert.rejects(
    adapter.listen({ host: HOST, port: 0, onConnection: (conn) => conn.close(false) }),
    RuntimeNotSupportedError,
  );
  await assert.rejects(adapter.connect({ host: HOST, port: 1 }), RuntimeNotSupportedError);
});
