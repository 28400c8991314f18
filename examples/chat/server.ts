/**
 * cellnet's chat server: every ChatREQ is broadcast to all sessions as a
 * ChatACK carrying the sender's session id.
 *
 *   npm run chat:server -- [addr]
 *   deno run --allow-net examples/chat/server.ts [addr]
 *   bun examples/chat/server.ts [addr]
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  EventQueue,
  MessageDispatcher,
  SessionAccepted,
  SessionClosed,
  tcp,
} from "../../mod.ts";
import { ChatACK, ChatREQ, DEFAULT_CHAT_ADDRESS } from "./proto.ts";

const address = process.argv[2] ?? DEFAULT_CHAT_ADDRESS;
const queue = new EventQueue();
const acceptor = new tcp.Acceptor({ name: "server", address, queue });

const dispatcher = new MessageDispatcher()
  .on(SessionAccepted, (_msg, ev) => {
    console.log(`server accepted: sid${ev.session.id} ${ev.session.remoteAddress}`);
  })
  .on(SessionClosed, (msg, ev) => {
    console.log(`session closed: sid${ev.session.id} ${msg}`);
  })
  .on(ChatREQ, (msg, ev) => {
    console.log(`sid${ev.session.id} say: ${msg.Content}`);
    acceptor.broadcast(new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) }));
  });
bindProcessorHandler(acceptor, "tcp.ltv", dispatcher.callback);

queue.startLoop();
await acceptor.start();
console.log(`chat server listening on ${address.replace(/:\d+$/, "")}:${acceptor.port}`);

const shutdown = async () => {
  await acceptor.stop();
  queue.stopLoop();
  await queue.wait();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
