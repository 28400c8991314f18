/**
 * The cellnet-ts side of the WebSocket benchmarks: a `gorillaws.Acceptor`
 * on `/echo` with processor `gorillaws.ltv` and binary `main.TestEchoACK`,
 * every message sent back to its sender (the TCP echo server's handler).
 *
 *   node --import tsx bench/ws_cellnet_server.ts | deno run -A bench/ws_cellnet_server.ts | bun bench/ws_cellnet_server.ts
 *
 * Prints "READY <port>"; reads commands on stdin (see _control.mjs).
 *
 * @module
 */
import { bindProcessorHandler, gorillaws, type Logger, setDefaultLogger } from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
// @ts-ignore: plain JS helper shared with the other bench servers (no types needed).
import { startControl } from "./_control.mjs";

// Only problems reach stderr; stdout is the orchestrator's protocol.
const quiet: Logger = {
  debug() {},
  info() {},
  // Resets at the end of each workload are expected; only errors matter.
  warn() {},
  error: (m: string, e?: unknown) => console.error(m, e),
};
setDefaultLogger(quiet);

const echo = new gorillaws.Acceptor({ name: "ws-echo", address: "http://127.0.0.1:0/echo" });
bindProcessorHandler(echo, "gorillaws.ltv", (ev) => {
  if (ev.message instanceof TestEchoACK) ev.session.send(ev.message);
});

await echo.start();
startControl(() => echo.sessionCount());
console.log(`READY ${echo.port}`);
