/**
 * The gateway (cellnet's relay test's "agent"): clients connect to one
 * address, backends to another. A client's ChatREQ is relayed to the chat
 * backend and its EchoREQ to the echo backend, each with the client's
 * session id as pass-through `int64`; what a backend relays back is routed
 * by the backends peer's broadcaster to the client named by `int64`, or to
 * every client named in `int64Slice`.
 *
 *   deno run --allow-net examples/gateway/gateway.ts [clientAddr] [backendAddr] [--msglog]
 *   bun examples/gateway/gateway.ts [clientAddr] [backendAddr] [--msglog]
 *   npx tsx examples/gateway/gateway.ts [clientAddr] [backendAddr] [--msglog]
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  msglog,
  relay,
  type Session,
  SessionAccepted,
  SessionClosed,
  tcp,
} from "../../mod.ts";
import { parseArgs, stdoutIsTTY } from "../_args.ts";
import {
  BackendRegister,
  ChatREQ,
  DEFAULT_BACKEND_ADDRESS,
  DEFAULT_CLIENT_ADDRESS,
  EchoREQ,
} from "./proto.ts";

const { positional, flags } = parseArgs();
const clients = new tcp.Acceptor({
  name: "client->gateway",
  address: positional[0] ?? DEFAULT_CLIENT_ADDRESS,
});
const backends = new tcp.Acceptor({
  name: "backend->gateway",
  address: positional[1] ?? DEFAULT_BACKEND_ADDRESS,
});
if (flags.has("msglog")) {
  msglog.enable(clients, { color: stdoutIsTTY() });
  msglog.enable(backends, { color: stdoutIsTTY() });
}

/** The backend session of each role. */
const byRole = new Map<string, Session>();

bindProcessorHandler(backends, "tcp.ltv", (ev) => {
  const msg = ev.message;
  if (msg instanceof BackendRegister) {
    byRole.set(msg.Role, ev.session);
    console.log(`backend registered: ${msg.Role}`);
  } else if (msg instanceof SessionClosed) {
    for (const [role, s] of byRole) {
      if (s === ev.session) {
        byRole.delete(role);
        console.log(`backend gone: ${role}`);
      }
    }
  }
});

// Every relay from a backend goes to the clients its pass-through ids name.
relay.setPeerBroadcaster(backends, (ev) => {
  if (!ev.message) return;
  const { int64, int64Slice } = ev.passThrough;
  for (const id of int64Slice.length > 0 ? int64Slice : [int64]) {
    clients.getSession(Number(id))?.send(ev.message);
  }
});

bindProcessorHandler(clients, "tcp.ltv", (ev) => {
  const msg = ev.message;
  if (msg instanceof SessionAccepted) {
    console.log(`client connected: sid${ev.session.id}`);
    return;
  }
  const role = msg instanceof ChatREQ ? "chat" : msg instanceof EchoREQ ? "echo" : undefined;
  if (role === undefined) return;
  const backend = byRole.get(role);
  if (backend) relay.relay(backend, msg as object, { int64: ev.session.id });
  else console.log(`no ${role} backend for sid${ev.session.id}`);
});

await clients.start();
await backends.start();
console.log(`gateway clients on 127.0.0.1:${clients.port}`);
console.log(`gateway backends on 127.0.0.1:${backends.port}`);

const shutdown = async () => {
  await clients.stop();
  await backends.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
