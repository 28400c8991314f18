// Frames queued in one tick go out in one write: a counting wrapper around the
// real runtime transport (real sockets underneath) sees the write calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type Connection,
  loadTransport,
  SessionAccepted,
  tcp,
  type Transport,
} from "../mod.ts";
import { EventLog, syncClient, T } from "./_helpers.ts";
import { Ping } from "./_messages.ts";

async function countingTransport(): Promise<{ transport: Transport; writes: number[] }> {
  const real = await loadTransport();
  const writes: number[] = [];
  const wrap = (conn: Connection): Connection => {
    const write = conn.write.bind(conn);
    conn.write = (data: Uint8Array) => {
      writes.push(data.length);
      return write(data);
    };
    return conn;
  };
  return {
    writes,
    transport: {
      name: `counting-${real.name}`,
      listen: (o) => real.listen({ ...o, onConnection: (c) => o.onConnection(wrap(c)) }),
      connect: async (o) => wrap(await real.connect(o)),
    },
  };
}

test("frames sent in one tick are written with one write call, in order", T, async () => {
  const { transport, writes } = await countingTransport();
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", transport });
  const serverLog = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", serverLog.handler);
  await acceptor.start();
  const { client, log } = await syncClient(acceptor.port);
  const server = (await serverLog.nextOf(SessionAccepted)).session;
  writes.length = 0;
  for (let i = 0; i < 100; i++) server.send(new Ping({ Text: "tick", Seq: i }));
  assert.equal(writes.length, 0, "nothing is written synchronously inside send()");
  for (let i = 0; i < 100; i++) assert.equal((await log.nextOf(Ping)).message.Seq, i);
  assert.equal(writes.length, 1, `one write for the whole tick, got ${writes.length}`);
  assert.equal(writes[0], 100 * (4 + 2 + 4 + 4));
  await client.stop();
  await acceptor.stop();
});
