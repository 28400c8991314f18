/**
 * The cellnet-ts side of the server benchmarks: examples/echo's server
 * (tcp.Acceptor + tcp.ltv + binary `main.TestEchoACK`, every message sent
 * back to its sender) plus a broadcast acceptor that sends each
 * TestEchoACK to every session with `acceptor.broadcast()`.
 *
 *   node --import tsx bench/cellnet_server.ts | deno run -A bench/cellnet_server.ts | bun bench/cellnet_server.ts
 *
 * Prints "READY <echoPort> <broadcastPort>"; reads commands on stdin (see _control.mjs).
 * `--port N` listens for echo on port N instead of an ephemeral one.
 *
 * @module
 */
import process from "node:process";
import { bindProcessorHandler, type Logger, setDefaultLogger, tcp } from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
// @ts-ignore: plain JS helper shared with the raw server (no types needed).
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

// --port N: a fixed echo port, so the server can also run as an --extra of
// bench/run.mjs (an older checkout's server against this one's, say).
const portArg = process.argv.indexOf("--port");
const echoPort = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
const echo = new tcp.Acceptor({ name: "echo", address: `127.0.0.1:${echoPort}` });
// Exactly examples/echo/server.ts's handler.
bindProcessorHandler(echo, "tcp.ltv", (ev) => {
  if (ev.message instanceof TestEchoACK) ev.session.send(ev.message);
});

const bcast = new tcp.Acceptor({ name: "broadcast", address: "127.0.0.1:0" });
bindProcessorHandler(bcast, "tcp.ltv", (ev) => {
  if (ev.message instanceof TestEchoACK) bcast.broadcast(ev.message);
});

await echo.start();
await bcast.start();
startControl(() => echo.sessionCount() + bcast.sessionCount());
console.log(`READY ${echo.port} ${bcast.port}`);
