/**
 * cellnet's chat server, on TCP and WebSocket at once: every ChatREQ, from
 * either side, is broadcast to all sessions of both as a ChatACK carrying
 * the sender's session id (ids are distinct across the two). The WebSocket
 * port also serves the chat web page at `/`.
 *
 *   npm run chat:server -- [tcpAddr] [wsAddr]
 *   deno run --allow-net --allow-read examples/chat/server.ts [tcpAddr] [wsAddr]
 *   bun examples/chat/server.ts [tcpAddr] [wsAddr]
 *
 * Defaults: 127.0.0.1:18801 and http://127.0.0.1:18802/chat (the page at
 * http://127.0.0.1:18802/).
 *
 * @module
 */
import process from "node:process";
import {
  bindProcessorHandler,
  EventQueue,
  gorillaws,
  MessageDispatcher,
  parseWebSocketAddress,
  SessionAccepted,
  SessionClosed,
  SessionIdCounter,
  tcp,
} from "../../mod.ts";
import { ChatACK, ChatREQ, DEFAULT_CHAT_ADDRESS, DEFAULT_CHAT_WS_ADDRESS } from "./proto.ts";
import { chatPageHandler } from "./web_page.ts";

const tcpAddress = process.argv[2] ?? DEFAULT_CHAT_ADDRESS;
const wsAddress = process.argv[3] ?? DEFAULT_CHAT_WS_ADDRESS;
const ws = parseWebSocketAddress(wsAddress);
// No path: the acceptor upgrades on every path, and the page dials "/".
const wsPath = ws.path || "/";

const queue = new EventQueue();
// One id counter for both acceptors: ids are distinct across TCP and WebSocket.
const sessionIds = new SessionIdCounter();
const tcpAcceptor = new tcp.Acceptor({ name: "server", address: tcpAddress, queue, sessionIds });
const wsAcceptor = new gorillaws.Acceptor({
  name: "server-ws",
  address: wsAddress,
  queue,
  sessionIds,
  webSocket: { onRequest: await chatPageHandler(wsPath) },
});

const dispatcher = new MessageDispatcher()
  .on(SessionAccepted, (_msg, ev) => {
    console.log(`server accepted: sid${ev.session.id} ${ev.session.remoteAddress}`);
  })
  .on(SessionClosed, (msg, ev) => {
    console.log(`session closed: sid${ev.session.id} ${msg}`);
  })
  .on(ChatREQ, (msg, ev) => {
    console.log(`sid${ev.session.id} say: ${msg.Content}`);
    const ack = new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) });
    tcpAcceptor.broadcast(ack);
    wsAcceptor.broadcast(ack);
  });
bindProcessorHandler(tcpAcceptor, "tcp.ltv", dispatcher.callback);
bindProcessorHandler(wsAcceptor, "gorillaws.ltv", dispatcher.callback);

queue.startLoop();
try {
  await tcpAcceptor.start();
  await wsAcceptor.start();
} catch (e) {
  console.error(`chat server cannot listen: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`chat server listening on ${tcpAddress.replace(/:\d+$/, "")}:${tcpAcceptor.port}`);
const wsHost = ws.host.includes(":") ? `[${ws.host}]` : ws.host;
console.log(`chat server listening on ws://${wsHost}:${wsAcceptor.port}${wsPath}`);
console.log(`chat page: http://${wsHost}:${wsAcceptor.port}/`);

const shutdown = async () => {
  await Promise.all([tcpAcceptor.stop(), wsAcceptor.stop()]);
  queue.stopLoop();
  await queue.wait();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
