import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  CloseReason,
  ConnectError,
  createPeer,
  EventQueue,
  newGenericPeer,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  tcp,
} from "../mod.ts";
import { EventLog, T, within, syncClient } from "./_helpers.ts";
import { Ping } from "./_messages.ts";

async function echoServer(log = new EventLog(), address = "127.0.0.1:0") {
  const acceptor = new tcp.Acceptor({ name: "server", address });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    log.handler(ev);
    if (ev.message instanceof Ping) ev.session.send(ev.message);
  });
  await acceptor.start();
  return { acceptor, log };
}

test("acceptor listens on an ephemeral port and reports it", T, async () => {
  const { acceptor } = await echoServer();
  assert.ok(acceptor.isRunning);
  assert.ok(acceptor.port > 0);
  await acceptor.stop();
  assert.equal(acceptor.isRunning, false);
});

test("sync connector resolves once connected and session ids start at 1", T, async () => {
  const { acceptor, log } = await echoServer();
  const { client, log: clientLog } = await syncClient(acceptor.port);
  assert.ok(client.isConnected);
  await clientLog.nextOf(SessionConnected);
  const accepted = await log.nextOf(SessionAccepted);
  assert.equal(accepted.session.id, 1);
  assert.equal(client.session.id, 1);
  client.session.send(new Ping({ Text: "hi", Seq: 7 }));
  const echoed = await clientLog.nextOf(Ping);
  assert.equal(echoed.message.Text, "hi");
  assert.equal(echoed.message.Seq, 7);
  await client.stop();
  await acceptor.stop();
});

test("sync connector rejects with ConnectError when nothing listens", T, async () => {
  const { acceptor } = await echoServer();
  const port = acceptor.port;
  await acceptor.stop();
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(client, "tcp.ltv", log.handler);
  await assert.rejects(client.start(), (e: Error) => e instanceof ConnectError && e.message.includes(String(port)));
  await log.nextOf(SessionConnectError);
  await client.stop();
});

test("connector without reconnect delivers SessionConnectError when the dial fails", T, async () => {
  const { acceptor } = await echoServer();
  const port = acceptor.port;
  await acceptor.stop();
  const connector = new tcp.Connector({ address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(connector, "tcp.ltv", log.handler);
  await connector.start();
  const ev = await log.nextOf(SessionConnectError);
  assert.ok(ev.message.error instanceof ConnectError);
  assert.equal(connector.isRunning, false);
  await connector.stop();
});

test("messages sent on a connector before it connects are delivered once connected", T, async () => {
  const { acceptor, log } = await echoServer();
  const connector = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
  const clientLog = new EventLog();
  bindProcessorHandler(connector, "tcp.ltv", clientLog.handler);
  for (let i = 0; i < 3; i++) assert.equal(connector.session.send(new Ping({ Text: "early", Seq: i })), true);
  await connector.start();
  for (let i = 0; i < 3; i++) {
    const ev = await log.nextOf(Ping);
    assert.equal(ev.message.Seq, i);
  }
  await connector.stop();
  await acceptor.stop();
});

test("a connector created, started and stopped three times leaves no session", T, async () => {
  const { acceptor } = await echoServer();
  for (let round = 0; round < 3; round++) {
    const connector = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
    const log = new EventLog();
    bindProcessorHandler(connector, "tcp.ltv", log.handler);
    await connector.start();
    await log.nextOf(SessionConnected);
    await connector.stop();
    const closed = await log.nextOf(SessionClosed);
    assert.equal(closed.message.reason, CloseReason.Manual);
    assert.equal(connector.sessionCount(), 0);
  }
  await acceptor.stop();
});

test("the same connector can be started again after stop", T, async () => {
  const { acceptor } = await echoServer();
  const connector = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
  const log = new EventLog();
  bindProcessorHandler(connector, "tcp.ltv", log.handler);
  for (let round = 0; round < 3; round++) {
    await connector.start();
    await log.nextOf(SessionConnected);
    connector.session.send(new Ping({ Text: "r", Seq: round }));
    assert.equal((await log.nextOf(Ping)).message.Seq, round);
    await connector.stop();
    await log.nextOf(SessionClosed);
  }
  await acceptor.stop();
});

test("an acceptor stopped with clients attached ends with 0 sessions and clients see IO close", T, async () => {
  const { acceptor, log } = await echoServer();
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const { client: c, log: clog } = await syncClient(acceptor.port);
    clients.push({ c, clog });
  }
  for (let i = 0; i < 3; i++) await log.nextOf(SessionAccepted);
  assert.equal(acceptor.sessionCount(), 3);
  await acceptor.stop();
  assert.equal(acceptor.sessionCount(), 0);
  for (let i = 0; i < 3; i++) {
    const ev = await log.nextOf(SessionClosed);
    assert.equal(ev.message.reason, CloseReason.Manual);
  }
  for (const { c, clog } of clients) {
    const ev = await clog.nextOf(SessionClosed);
    assert.equal(ev.message.reason, CloseReason.IO);
    await c.stop();
  }
});

test("an acceptor can be started again after stop", T, async () => {
  const { acceptor } = await echoServer();
  for (let round = 0; round < 3; round++) {
    if (round > 0) await acceptor.start();
    const { client: c, log: clog } = await syncClient(acceptor.port);
    c.session.send(new Ping({ Text: "x", Seq: round }));
    assert.equal((await clog.nextOf(Ping)).message.Seq, round);
    await c.stop();
    await acceptor.stop();
    assert.equal(acceptor.sessionCount(), 0);
  }
});

test("a connector with reconnect comes back after the acceptor restarts on the same port", T, async () => {
  const { acceptor } = await echoServer();
  const port = acceptor.port;
  const connector = new tcp.Connector({ address: `127.0.0.1:${port}`, reconnectIntervalMs: 50 });
  const log = new EventLog();
  bindProcessorHandler(connector, "tcp.ltv", log.handler);
  await connector.start();
  await log.nextOf(SessionConnected);
  await acceptor.stop();
  const closed = await log.nextOf(SessionClosed);
  assert.equal(closed.message.reason, CloseReason.IO);
  // Sent while disconnected: kept and written after the reconnect.
  connector.session.send(new Ping({ Text: "while down", Seq: 42 }));
  const { acceptor: again } = await echoServer(new EventLog(), `127.0.0.1:${port}`);
  await log.nextOf(SessionConnected, 10_000);
  const echoed = await log.nextOf(Ping);
  assert.equal(echoed.message.Seq, 42);
  await connector.stop();
  await again.stop();
});

test("peers are created by cellnet type name", T, async () => {
  const queue = new EventQueue().startLoop();
  const acceptor = newGenericPeer("tcp.Acceptor", "named", "127.0.0.1:0", queue) as tcp.Acceptor;
  assert.equal(acceptor.typeName, "tcp.Acceptor");
  assert.equal(acceptor.name, "named");
  const log = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", log.handler);
  await acceptor.start();
  const client = createPeer("tcp.SyncConnector", { address: `127.0.0.1:${acceptor.port}` });
  assert.equal(client.typeName, "tcp.SyncConnector");
  bindProcessorHandler(client, "tcp.ltv", () => {});
  await client.start();
  await log.nextOf(SessionAccepted);
  assert.throws(() => createPeer("udp.Nope", { address: "127.0.0.1:0" }), /peer type not registered: 'udp.Nope'/);
  await client.stop();
  await acceptor.stop();
  queue.stopLoop();
  await within(queue.wait(), 1000, "queue stop");
});

test("start() without a bound processor fails with a clear error", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  await assert.rejects(acceptor.start(), /bindProcessorHandler/);
});
