/**
 * A chat client of the gateway: each stdin line is a ChatREQ (to everyone
 * through the chat backend), or with `/echo text` an EchoREQ (answered to
 * this client only by the echo backend). Prints `sid<From> say: <Content>`
 * and `echo: <Text>`. Exits when stdin ends and every answer came.
 *
 *   deno run --allow-net examples/gateway/client.ts [gatewayClientAddr] [--msglog]
 *   bun examples/gateway/client.ts [gatewayClientAddr] [--msglog]
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline";
import {
  bindProcessorHandler,
  msglog,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  tcp,
} from "../../mod.ts";
import { parseArgs, stdoutIsTTY } from "../_args.ts";
import { ChatACK, ChatREQ, DEFAULT_CLIENT_ADDRESS, EchoACK, EchoREQ } from "./proto.ts";

const { positional, flags } = parseArgs();
const address = positional[0] ?? DEFAULT_CLIENT_ADDRESS;
const client = new tcp.Connector({ name: "client", address, connectTimeoutMs: 5000 });
if (flags.has("msglog")) msglog.enable(client, { color: stdoutIsTTY() });

let echoesOwed = 0;
/** Lines we sent whose broadcast has not come back yet. */
const chatsOwed: string[] = [];
let inputDone = false;
let onAnswer: (() => void) | undefined;

bindProcessorHandler(client, "tcp.ltv", (ev) => {
  const msg = ev.message;
  if (msg instanceof SessionConnected) console.log("connected");
  else if (msg instanceof SessionConnectError) {
    console.error(`cannot connect to ${address}: ${msg.error?.message}`);
    process.exit(1);
  } else if (msg instanceof SessionClosed) {
    console.error(`disconnected: ${msg}`);
    process.exit(inputDone ? 0 : 1);
  } else if (msg instanceof ChatACK) {
    console.log(`sid${msg.From} say: ${msg.Content}`);
    const i = chatsOwed.indexOf(msg.Content);
    if (i >= 0) chatsOwed.splice(i, 1);
    onAnswer?.();
  } else if (msg instanceof EchoACK) {
    console.log(`echo: ${msg.Text}`);
    echoesOwed--;
    onAnswer?.();
  }
});
await client.start();

// Lines read before the connection is up are kept and sent once connected.
const lines = createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const text = line.trim();
  if (text === "") return;
  if (text.startsWith("/echo ")) {
    client.session.send(new EchoREQ({ Text: text.slice(6) }));
    echoesOwed++;
  } else {
    client.session.send(new ChatREQ({ Content: text }));
    chatsOwed.push(text);
  }
});
lines.on("close", async () => {
  inputDone = true;
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(resolve, 3000);
    const check = () => {
      if (echoesOwed <= 0 && chatsOwed.length === 0) {
        clearTimeout(deadline);
        resolve();
      }
    };
    onAnswer = check;
    check();
  });
  await client.stop();
  process.exit(0);
});
