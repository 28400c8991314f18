/**
 * Echo server, like cellnet's examples/echo server: every TestEchoACK goes
 * back to its sender, as an RPC reply when it came as an RPC request (so Go's
 * rpc.Call / rpc.CallSync clients work against it), else as a plain message.
 *
 *   npm run echo:server -- [addr] [--msglog]
 *   deno run --allow-net examples/echo/server.ts [addr] [--msglog]
 *   bun examples/echo/server.ts [addr] [--msglog]
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  msglog,
  rpc,
  SessionAccepted,
  SessionClosed,
  tcp,
} from "../../mod.ts";
import { parseArgs, stdoutIsTTY } from "../_args.ts";
import { DEFAULT_ECHO_ADDRESS, TestEchoACK } from "./proto.ts";

const { positional, flags } = parseArgs();
const address = positional[0] ?? DEFAULT_ECHO_ADDRESS;
const acceptor = new tcp.Acceptor({ name: "echo", address });
if (flags.has("msglog")) msglog.enable(acceptor, { color: stdoutIsTTY() });
bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
  const msg = ev.message;
  if (msg instanceof SessionAccepted) console.log("server accepted");
  else if (msg instanceof SessionClosed) console.log(`session closed: ${ev.session.id}`);
  else if (msg instanceof TestEchoACK) {
    console.log(`server recv${ev instanceof rpc.RecvMsgEvent ? " rpc" : ""} ${msg}`);
    // An RPC request's reply() answers the call (RemoteCallACK); a plain one's sends a plain message.
    ev.reply(new TestEchoACK({ Msg: msg.Msg, Value: msg.Value }));
  }
});
await acceptor.start();
console.log(`echo server listening on ${address.replace(/:\d+$/, "")}:${acceptor.port}`);

const shutdown = async () => {
  await acceptor.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
