/**
 * A backend behind the gateway (cellnet's relay test's "backend"). It
 * connects to the gateway, registers its role, and answers relays:
 *
 * - `--role chat`: each ChatREQ becomes a ChatACK relayed to every client it
 *   has heard from (`int64Slice`), so the gateway delivers it to all of them;
 * - `--role echo`: each EchoREQ is answered with `ev.reply(EchoACK)`, which
 *   relays back with the same pass-through id: to the one client that asked.
 *
 *   deno run --allow-net examples/gateway/backend.ts [gatewayBackendAddr] --role chat|echo [--msglog]
 *   bun examples/gateway/backend.ts [gatewayBackendAddr] --role chat|echo [--msglog]
 *
 * @module
 */
import process from "node:process";
import { bindProcessorHandler, msglog, relay, SessionClosed, tcp } from "../../mod.ts";
import { parseArgs, stdoutIsTTY } from "../_args.ts";
import {
  BackendRegister,
  ChatACK,
  ChatREQ,
  DEFAULT_BACKEND_ADDRESS,
  EchoACK,
  EchoREQ,
} from "./proto.ts";

const { positional, flags } = parseArgs();
const address = positional[0] ?? DEFAULT_BACKEND_ADDRESS;
const role = flags.get("role") || "chat";
if (role !== "chat" && role !== "echo") {
  console.error(`unknown --role ${role} (chat or echo)`);
  process.exit(1);
}
const backend = new tcp.SyncConnector({ name: `backend-${role}`, address, connectTimeoutMs: 5000 });
if (flags.has("msglog")) msglog.enable(backend, { color: stdoutIsTTY() });

/** Every client (gateway session id) this backend has heard from. */
const known = new Set<bigint>();

bindProcessorHandler(backend, "tcp.ltv", (ev) => {
  if (ev.message instanceof SessionClosed) {
    console.log("gateway closed the connection");
    process.exit(0);
  }
  if (!(ev instanceof relay.RecvMsgEvent)) return;
  const from = ev.passThrough.int64;
  const msg = ev.message;
  if (role === "chat" && msg instanceof ChatREQ) {
    known.add(from);
    console.log(`chat from sid${from}: ${msg.Content}`);
    relay.relay(backend, new ChatACK({ From: from, Content: msg.Content }), {
      int64Slice: [...known],
    });
  } else if (role === "echo" && msg instanceof EchoREQ) {
    console.log(`echo for sid${from}: ${msg.Text}`);
    ev.reply(new EchoACK({ Text: msg.Text, Backend: role }));
  }
});

try {
  await backend.start();
} catch (e) {
  console.error(`cannot connect to ${address}: ${(e as Error).message}`);
  process.exit(1);
}
backend.session.send(new BackendRegister({ Role: role }));
console.log(`backend ${role} connected to ${address}`);

const shutdown = async () => {
  await backend.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
