// examples/quickstart/client.ts — says hello, prints the broadcast, and stops.
import process from "node:process";
import { bindProcessorHandler, defineMessage, t, tcp } from "../../mod.ts";

const ChatREQ = defineMessage("proto.ChatREQ", { Content: t.string });
const ChatACK = defineMessage("proto.ChatACK", { Content: t.string, Id: t.int64 });

const client = new tcp.Connector({
  address: process.argv[2] ?? "127.0.0.1:18801",
  reconnectIntervalMs: 1000,
});
bindProcessorHandler(client, "tcp.ltv", (ev) => {
  if (ev.message instanceof ChatACK) {
    console.log(`sid${ev.message.Id} say: ${ev.message.Content}`);
    void client.stop();
  }
});
await client.start();
client.session.send(new ChatREQ({ Content: "hello" })); // kept until connected, then written
