// cellnet's chat, end to end over loopback: every ChatREQ comes back to every
// client as a ChatACK carrying the sender's session id.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  EventQueue,
  MessageDispatcher,
  SessionAccepted,
  tcp,
} from "../mod.ts";
import { EventLog, syncClient, T, within } from "./_helpers.ts";
import { ChatACK, ChatREQ } from "./_messages.ts";

test(
  "chat broadcast reaches every client, the sender included, with the sender's session id",
  T,
  async () => {
    const queue = new EventQueue().startLoop();
    const acceptor = new tcp.Acceptor({ name: "chat", address: "127.0.0.1:0", queue });
    const serverLog = new EventLog();
    bindProcessorHandler(
      acceptor,
      "tcp.ltv",
      new MessageDispatcher()
        .on(SessionAccepted, (_m, ev) => serverLog.handler(ev))
        .on(ChatREQ, (msg, ev) => {
          acceptor.broadcast(new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) }));
        }).callback,
    );
    await acceptor.start();

    const clients: { peer: tcp.SyncConnector; log: EventLog; serverId: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const { client: peer, log } = await syncClient(acceptor.port);
      const accepted = await serverLog.nextOf(SessionAccepted);
      clients.push({ peer, log, serverId: accepted.session.id });
    }

    const lines = ["hello", "你好，世界", "emoji 😀👍", "x".repeat(1000)];
    assert.deepEqual(clients.map((c) => c.serverId), [1, 2, 3, 4]);
    for (let i = 0; i < clients.length; i++) {
      clients[i].peer.session.send(new ChatREQ({ Content: lines[i] }));
      for (const c of clients) {
        const ack = await c.log.nextOf(ChatACK);
        assert.equal(ack.message.Content, lines[i]);
        assert.equal(ack.message.Id, BigInt(clients[i].serverId));
      }
    }
    for (const c of clients) await c.peer.stop();
    await acceptor.stop();
    queue.stopLoop();
    await within(queue.wait(), 1000, "queue stop");
  },
);

test("a burst of lines sent together all arrive, in order", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    if (ev.message instanceof ChatREQ) {
      acceptor.broadcast(new ChatACK({ Content: ev.message.Content, Id: BigInt(ev.session.id) }));
    }
  });
  await acceptor.start();
  const { client, log } = await syncClient(acceptor.port);
  for (let i = 0; i < 500; i++) client.session.send(new ChatREQ({ Content: `line ${i}` }));
  for (let i = 0; i < 500; i++) {
    assert.equal((await log.nextOf(ChatACK)).message.Content, `line ${i}`);
  }
  await client.stop();
  await acceptor.stop();
});
