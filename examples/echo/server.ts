/**
 * Echo server: every TestEchoACK goes back to its sender.
 *
 *   npm run echo:server -- [addr]
 *   deno run --allow-net examples/echo/server.ts [addr]
 *   bun examples/echo/server.ts [addr]
 *
 * @module
 */
import process from "node:process";
import { bindProcessorHandler, tcp } from "../../mod.ts";
import { DEFAULT_ECHO_ADDRESS, TestEchoACK } from "./proto.ts";

const address = process.argv[2] ?? DEFAULT_ECHO_ADDRESS;
const acceptor = new tcp.Acceptor({ name: "echo", address });
bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
  if (ev.message instanceof TestEchoACK) ev.session.send(ev.message);
});
await acceptor.start();
console.log(`echo server listening on ${address.replace(/:\d+$/, "")}:${acceptor.port}`);

const shutdown = async () => {
  await acceptor.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
