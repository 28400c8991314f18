// examples/websocket/echo.ts — an echo server and a client on one path; the upgrade request is session context "request".
import {
  bindProcessorHandler,
  defineMessage,
  gorillaws,
  SessionAccepted,
  t,
  type WSRequestInfo,
} from "../../mod.ts";

// Go: type TestEchoACK struct { Msg string; Value int32 } (id 4673, as cellnet's echo example)
const TestEchoACK = defineMessage("main.TestEchoACK", { Msg: t.string, Value: t.int32 });

const server = new gorillaws.Acceptor({ address: "http://127.0.0.1:18802/echo" });
bindProcessorHandler(server, "gorillaws.ltv", (ev) => {
  if (ev.message instanceof SessionAccepted) {
    const req = ev.session.getContext<WSRequestInfo>("request")!; // the upgrade request
    console.log("from", req.remoteAddress.host, req.headers["user-agent"]);
  } else if (ev.message instanceof TestEchoACK) {
    ev.reply(ev.message);
  }
});
await server.start();

const client = new gorillaws.SyncConnector({ address: "ws://127.0.0.1:18802/echo" });
bindProcessorHandler(client, "gorillaws.ltv", (ev) => console.log(ev.message));
await client.start(); // rejects (WebSocketHandshakeError, .status 404...) when refused
client.session.send(new TestEchoACK({ Msg: "hello", Value: 1 }));
