/**
 * Echo client: sends one TestEchoACK and prints the reply.
 *
 *   npm run echo:client -- [addr] [text]
 *   deno run --allow-net examples/echo/client.ts [addr] [text]
 *   bun examples/echo/client.ts [addr] [text]
 *
 * @module
 */
import process from "node:process";
import { bindProcessorHandler, tcp } from "../../mod.ts";
import { DEFAULT_ECHO_ADDRESS, TestEchoACK } from "./proto.ts";

const address = process.argv[2] ?? DEFAULT_ECHO_ADDRESS;
const text = process.argv[3] ?? "hello";
const client = new tcp.SyncConnector({ name: "echo-client", address, connectTimeoutMs: 5000 });

const reply = new Promise<TestEchoACK>((resolve) => {
  bindProcessorHandler(client, "tcp.ltv", (ev) => {
    if (ev.message instanceof TestEchoACK) resolve(ev.message);
  });
});

try {
  await client.start();
} catch (e) {
  console.error(`cannot connect to ${address}: ${(e as Error).message}`);
  process.exit(1);
}
client.session.send(new TestEchoACK({ Msg: text, Value: 1234 }));
const ack = await reply;
console.log(`reply: Msg=${ack.Msg} Value=${ack.Value}`);
await client.stop();
process.exit(0);
