/**
 * cellnet's chat client: each non-empty stdin line (trimmed) is sent as a
 * ChatREQ; each ChatACK is printed as `sid<Id> say: <Content>`. A
 * `ws://…` (or `http://…/chat`) address chats over WebSocket, any other
 * over TCP.
 *
 *   npm run chat:client -- [addr]
 *   deno run --allow-net examples/chat/client.ts [addr]
 *   bun examples/chat/client.ts [addr]
 *
 * e.g. `npm run chat:client -- ws://127.0.0.1:18802/chat`.
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline";
import {
  bindProcessorHandler,
  EventQueue,
  gorillaws,
  MessageDispatcher,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  tcp,
} from "../../mod.ts";
import { ChatACK, ChatREQ, DEFAULT_CHAT_ADDRESS } from "./proto.ts";

const address = process.argv[2] ?? DEFAULT_CHAT_ADDRESS;
const queue = new EventQueue().startLoop();
// cellnet writes gorillaws addresses with a scheme; TCP addresses have none.
const overWebSocket = /^(?:ws|wss|http|https):\/\//i.test(address);
const connector = overWebSocket
  ? new gorillaws.Connector({ name: "client", address, queue })
  : new tcp.Connector({ name: "client", address, queue });

let sent = 0;
let received = 0;
let inputDone = false;
let onReceived: (() => void) | undefined;

const dispatcher = new MessageDispatcher()
  .on(SessionConnected, () => console.error(`connected to ${address}`))
  .on(SessionConnectError, (msg) => {
    console.error(`cannot connect to ${address}: ${msg.error?.message}`);
    process.exit(1);
  })
  .on(SessionClosed, (msg) => {
    console.error(`disconnected: ${msg}`);
    process.exit(inputDone ? 0 : 1);
  })
  .on(ChatACK, (msg) => {
    console.log(`sid${msg.Id} say: ${msg.Content}`);
    received++;
    onReceived?.();
  });
bindProcessorHandler(connector, overWebSocket ? "gorillaws.ltv" : "tcp.ltv", dispatcher.callback);
await connector.start();

// Lines typed (or piped) before the connection is up are kept and sent once connected.
const lines = createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const content = line.trim();
  if (content === "") return;
  connector.session.send(new ChatREQ({ Content: content }));
  sent++;
});
lines.on("close", async () => {
  // Input ended (piped stdin): wait for the broadcasts of what we sent, then leave.
  inputDone = true;
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(resolve, 3000);
    const check = () => {
      if (received >= sent) {
        clearTimeout(deadline);
        resolve();
      }
    };
    onReceived = check;
    check();
  });
  await connector.stop();
  process.exit(0);
});
