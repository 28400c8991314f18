// `await using` in a file of its own: the lifecycle test imports it
// dynamically, so a runtime that cannot parse the syntax fails that one test
// and not the whole file. (tsx lowers it for Node 20; Deno and Bun run it natively.)
import { bindProcessorHandler, tcp } from "../mod.ts";

/** Start an acceptor in a scope that ends with `await using`; returns it after the scope. */
export async function acceptorInScope(): Promise<
  { acceptor: tcp.Acceptor; port: number; wasRunning: boolean }
> {
  await using acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  bindProcessorHandler(acceptor, "tcp.ltv", () => {});
  await acceptor.start();
  return { acceptor, port: acceptor.port, wasRunning: acceptor.isRunning };
}
