// Smoke test of the npm artifact: imports the built package by its own name
// (through package.json "exports") and echoes one message over loopback.
// Run after `npm run build`, on any runtime: node / deno run -A / bun.
import { bindProcessorHandler, defineMessage, t, tcp } from "cellnet-ts";

const Echo = defineMessage("smoke.Echo", { Msg: t.string, Value: t.int64 });
const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
  if (ev.message instanceof Echo) ev.session.send(ev.message);
});
await acceptor.start();

const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
const reply = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no echo within 5 s")), 5000);
  bindProcessorHandler(client, "tcp.ltv", (ev) => {
    if (ev.message instanceof Echo) {
      clearTimeout(timer);
      resolve(ev.message);
    }
  });
});
await client.start();
client.session.send(new Echo({ Msg: "dist", Value: 2n ** 60n }));
const got = await reply;
await client.stop();
await acceptor.stop();
if (got.Msg !== "dist" || got.Value !== 2n ** 60n) {
  throw new Error(`bad echo: ${JSON.stringify(String(got.Value))}`);
}
console.log("dist smoke: ok");
