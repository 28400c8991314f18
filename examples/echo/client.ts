/**
 * Echo client: sends one TestEchoACK and prints the reply, in one of the
 * ways of cellnet's examples/echo clients:
 *
 * - `plain` (default): send it as a message, wait for the message back;
 * - `callback`: Go's `clientAsyncCallback`, a handler that sends on
 *   `SessionConnected` and prints the TestEchoACK that comes back;
 * - `rpc`: Go's `clientAsyncRPC`, `rpc.callback` after a `SyncReceiver`
 *   saw `SessionConnected`;
 * - `rpc-sync`: Go's `clientSyncRPC`, `await rpc.call(...)`.
 *
 *   npm run echo:client -- [addr] [text] [--mode plain|callback|rpc|rpc-sync] [--msglog]
 *   deno run --allow-net examples/echo/client.ts [addr] [text] [--mode …] [--msglog]
 *   bun examples/echo/client.ts [addr] [text] [--mode …] [--msglog]
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  msglog,
  rpc,
  SessionConnected,
  SessionConnectError,
  SyncReceiver,
  tcp,
} from "../../mod.ts";
import { parseArgs, stdoutIsTTY } from "../_args.ts";
import { DEFAULT_ECHO_ADDRESS, TestEchoACK } from "./proto.ts";

const { positional, flags } = parseArgs();
const address = positional[0] ?? DEFAULT_ECHO_ADDRESS;
const text = positional[1] ?? "hello";
const mode = flags.get("mode") || "plain";
const request = new TestEchoACK({ Msg: text, Value: 1234 });
const withLog = <P extends tcp.Connector>(peer: P): P => {
  if (flags.has("msglog")) msglog.enable(peer, { color: stdoutIsTTY() });
  return peer;
};

function fail(why: string): never {
  console.error(why);
  process.exit(1);
}

function printReply(reply: unknown): void {
  if (!(reply instanceof TestEchoACK)) fail(`unexpected reply: ${reply}`);
  console.log(`reply: Msg=${reply.Msg} Value=${reply.Value}`);
}

/** Send as a plain message on a SyncConnector and wait for the message back. */
async function plain(): Promise<void> {
  const client = withLog(
    new tcp.SyncConnector({ name: "echo-client", address, connectTimeoutMs: 5000 }),
  );
  const reply = new Promise<TestEchoACK>((resolve) => {
    bindProcessorHandler(client, "tcp.ltv", (ev) => {
      if (ev.message instanceof TestEchoACK) resolve(ev.message);
    });
  });
  await client.start().catch((e) => fail(`cannot connect to ${address}: ${(e as Error).message}`));
  client.session.send(request);
  printReply(await reply);
  await client.stop();
}

/** Go's clientAsyncCallback: everything happens in the handler. */
async function callback(): Promise<void> {
  const client = withLog(
    new tcp.Connector({ name: "clientAsyncCallback", address, connectTimeoutMs: 5000 }),
  );
  const done = new Promise<void>((resolve) => {
    bindProcessorHandler(client, "tcp.ltv", (ev) => {
      const msg = ev.message;
      if (msg instanceof SessionConnected) {
        console.log("clientAsyncCallback connected");
        ev.session.send(request);
      } else if (msg instanceof SessionConnectError) {
        fail(`cannot connect to ${address}: ${msg.error?.message}`);
      } else if (msg instanceof TestEchoACK) {
        printReply(msg);
        resolve();
      }
    });
  });
  await client.start();
  await done;
  await client.stop();
}

/** Go's clientAsyncRPC / clientSyncRPC: wait for the connection with a SyncReceiver, then call. */
async function rpcCall(sync: boolean): Promise<void> {
  const client = withLog(new tcp.Connector({ name: "async rpc", address, connectTimeoutMs: 5000 }));
  const rv = new SyncReceiver(client);
  bindProcessorHandler(client, "tcp.ltv", rv.callback);
  await client.start();
  const first = await rv.recv(10_000).catch((e) => fail((e as Error).message));
  if (!(first.message instanceof SessionConnected)) {
    fail(
      `cannot connect to ${address}: ${
        (first.message as SessionConnectError).error?.message ?? first.message
      }`,
    );
  }
  if (sync) {
    printReply(
      await rpc.call(client, request, { timeoutMs: 1000 }).catch((e) =>
        fail(`rpc: ${(e as Error).message}`)
      ),
    );
  } else {
    await new Promise<void>((resolve) => {
      rpc.callback(client, request, 1000, (result) => {
        if (result instanceof Error) fail(`rpc: ${result.message}`);
        printReply(result);
        resolve();
      });
    });
  }
  await client.stop();
}

switch (mode) {
  case "plain":
    await plain();
    break;
  case "callback":
    await callback();
    break;
  case "rpc":
    await rpcCall(false);
    break;
  case "rpc-sync":
    await rpcCall(true);
    break;
  default:
    fail(`unknown --mode ${mode} (plain, callback, rpc or rpc-sync)`);
}
process.exit(0);
