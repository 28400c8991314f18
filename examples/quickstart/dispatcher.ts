// examples/quickstart/dispatcher.ts — the same server with one typed handler per message.
import process from "node:process";
import {
  bindProcessorHandler,
  defineMessage,
  MessageDispatcher,
  SessionAccepted,
  t,
  tcp,
} from "../../mod.ts";

const ChatREQ = defineMessage("proto.ChatREQ", { Content: t.string });
const ChatACK = defineMessage("proto.ChatACK", { Content: t.string, Id: t.int64 });

const acceptor = new tcp.Acceptor({
  name: "server",
  address: process.argv[2] ?? "127.0.0.1:18801",
});
const dispatcher = new MessageDispatcher()
  .on(SessionAccepted, (_msg, ev) => console.log("accepted", ev.session.id))
  .on(
    ChatREQ,
    (msg, ev) => ev.reply(new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) })),
  );
bindProcessorHandler(acceptor, "tcp.ltv", dispatcher.callback);
await acceptor.start();
console.log(`listening on port ${acceptor.port}`);
