// examples/websocket/shared_ids.ts — one session id counter for a TCP and a WebSocket acceptor.
import { gorillaws, SessionIdCounter, tcp } from "../../mod.ts";
const sessionIds = new SessionIdCounter(); // optional base: new SessionIdCounter(1000)
const tcpServer = new tcp.Acceptor({ address: "0.0.0.0:18801", sessionIds });
const wsServer = new gorillaws.Acceptor({ address: "http://0.0.0.0:18802/chat", sessionIds });
console.log(tcpServer.typeName, wsServer.typeName, "hand out ids from one counter");
