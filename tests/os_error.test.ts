// One reading of the runtimes' socket errors (src/transport/_os_error.ts):
// the same code and words whichever runtime raised them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AddressInUseError, CellnetError, ListenError } from "../src/errors.ts";
import { osErrorCode, osErrorReason } from "../src/transport/_os_error.ts";

/** An Error with the extra fields runtimes put on theirs. */
function runtimeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

test("osErrorCode reads Node's and Bun's code, Deno's class name, and Node's AggregateError", () => {
  assert.equal(
    osErrorCode(runtimeError("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" })),
    "ECONNREFUSED",
  );
  assert.equal(
    osErrorCode(runtimeError("Failed to connect", { code: "ECONNREFUSED", errno: -111 })),
    "ECONNREFUSED",
  );
  const deno = new Error("Address already in use (os error 98)");
  deno.name = "AddrInUse";
  assert.equal(osErrorCode(deno), "EADDRINUSE");
  const aggregate = new AggregateError([runtimeError("x", { code: "ECONNREFUSED" })], "");
  assert.equal(osErrorCode(aggregate), "ECONNREFUSED");
  assert.equal(
    osErrorCode(new Error("failed to lookup address information: Name or service not known")),
    "ENOTFOUND",
  );
});

test("osErrorCode ignores Node's own ERR_ codes and values that are not errors", () => {
  assert.equal(osErrorCode(runtimeError("bad port", { code: "ERR_SOCKET_BAD_PORT" })), undefined);
  assert.equal(osErrorCode("ECONNRESET"), undefined);
  assert.equal(osErrorCode(undefined), undefined);
  assert.equal(osErrorCode(new Error("plain")), undefined);
});

test("osErrorReason says the condition once, in the same words on every runtime", () => {
  const node = runtimeError("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" });
  const bun = runtimeError("Failed to connect", { code: "ECONNREFUSED" });
  const deno = new Error("Connection refused (os error 111)");
  deno.name = "ConnectionRefused";
  for (const err of [node, bun, deno]) {
    assert.equal(osErrorReason(err), "connection refused (ECONNREFUSED)");
  }
  // Unknown codes keep the runtime's words, without Deno's errno suffix.
  assert.equal(
    osErrorReason(runtimeError("Weird thing (os error 200)", { code: "EWEIRD" })),
    "Weird thing (EWEIRD)",
  );
  assert.equal(osErrorReason(new Error("no code here")), "no code here");
});

test("AddressInUseError is a ListenError with code EADDRINUSE; other errors take the code given", () => {
  const err = new AddressInUseError("listen on 127.0.0.1:1 failed", { cause: "x" });
  assert.ok(err instanceof ListenError && err instanceof CellnetError);
  assert.equal(err.code, "EADDRINUSE");
  assert.equal(err.name, "AddressInUseError");
  assert.equal(err.cause, "x");
  assert.equal(new ListenError("m", { code: "EACCES" }).code, "EACCES");
  assert.equal(new CellnetError("m").code, undefined);
});
