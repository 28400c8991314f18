// examples/quickstart/server.ts — a chat server: every ChatREQ is broadcast as a ChatACK.
import process from "node:process";
import { bindProcessorHandler, defineMessage, t, tcp } from "../../mod.ts";

// Same name and field order as the Go struct: the id is StringHash("proto.ChatREQ").
const ChatREQ = defineMessage("proto.ChatREQ", { Content: t.string });
const ChatACK = defineMessage("proto.ChatACK", { Content: t.string, Id: t.int64 });

const acceptor = new tcp.Acceptor({
  name: "server",
  address: process.argv[2] ?? "127.0.0.1:18801",
});
bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
  if (ev.message instanceof ChatREQ) {
    // ev.message is typed as ChatREQ here.
    acceptor.broadcast(new ChatACK({ Content: ev.message.Content, Id: BigInt(ev.session.id) }));
  }
});
await acceptor.start();
console.log(`listening on port ${acceptor.port}`);
