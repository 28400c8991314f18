// User-extensible layers: processors registered by name, hooker chains, user
// codecs, and naming the runtime adapter.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  type ByteWriter,
  chainHookers,
  type Codec,
  defineMessage,
  detectRuntime,
  type Event,
  loadTransport,
  LTVTransmitter,
  MultiHooker,
  NotRegisteredError,
  processorNames,
  queuedCallback,
  registerCodec,
  registerProcessor,
  SessionAccepted,
  t,
  tcp,
} from "../mod.ts";
import { EventLog, MemoryLogger, syncClient, T } from "./_helpers.ts";
import { Ping } from "./_messages.ts";

// A user codec: the body is the UTF-8 of one string field, upper-cased on the wire.
const shoutCodec: Codec = {
  name: "test.shout",
  mimeType: "text/plain",
  bind(shape) {
    return {
      encode(message, out: ByteWriter) {
        out.bytes(new TextEncoder().encode((message as { Text: string }).Text.toUpperCase()));
      },
      decode(body) {
        const m = shape.create() as { Text: string };
        m.Text = new TextDecoder().decode(body);
        return m;
      },
    };
  },
};
registerCodec(shoutCodec);
const Shout = defineMessage("test.Shout", { Text: t.string }, { codec: "test.shout" });

// A processor that tags every inbound Ping, swallows Pings with Seq < 0 both
// ways, and counts outbound messages.
let outbound = 0;
registerProcessor("test.tagged", (peer, cb) => ({
  transmitter: new LTVTransmitter(),
  hooker: new MultiHooker(
    {
      onInboundEvent: (ev) => (ev.message instanceof Ping && ev.message.Seq < 0 ? undefined : ev),
      onOutboundEvent: (ev) => (ev.message instanceof Ping && ev.message.Seq < 0 ? undefined : ev),
    },
    {
      onInboundEvent: (ev: Event) => {
        if (ev.message instanceof Ping) ev.message.Text = `tagged:${ev.message.Text}`;
        return ev;
      },
      onOutboundEvent: (ev: Event) => {
        outbound++;
        return ev;
      },
    },
  ),
  callback: queuedCallback(peer, cb),
}));

test("a user processor's hooker chain transforms and swallows events both ways", T, async () => {
  assert.ok(processorNames().includes("test.tagged"));
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const serverLog = new EventLog();
  bindProcessorHandler(acceptor, "test.tagged", serverLog.handler);
  await acceptor.start();
  const { client, log } = await syncClient(acceptor.port);
  const accepted = await serverLog.nextOf(SessionAccepted);
  client.session.send(new Ping({ Text: "dropped", Seq: -1 }));
  client.session.send(new Ping({ Text: "kept", Seq: 1 }));
  const ev = await serverLog.nextOf(Ping);
  assert.equal(ev.message.Text, "tagged:kept");
  assert.equal(ev.message.Seq, 1);
  // Outbound: the swallowed one never reaches the wire, the other does.
  assert.equal(accepted.session.send(new Ping({ Text: "no", Seq: -2 })), true);
  accepted.session.send(new Ping({ Text: "yes", Seq: 2 }));
  assert.equal((await log.nextOf(Ping)).message.Text, "yes");
  assert.equal(outbound, 1);
  await client.stop();
  await acceptor.stop();
});

test("bindProcessorHandler names the unknown processor", () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  assert.throws(
    () => bindProcessorHandler(acceptor, "tcp.nope", () => {}),
    (e: Error) =>
      e instanceof NotRegisteredError && /'tcp\.nope'/.test(e.message) &&
      /tcp\.ltv/.test(e.message),
  );
});

test("a user codec registered by name carries messages over the wire", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const serverLog = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", serverLog.handler);
  await acceptor.start();
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
  bindProcessorHandler(client, "tcp.ltv", () => {});
  await client.start();
  client.session.send(new Shout({ Text: "quiet words" }));
  assert.equal((await serverLog.nextOf(Shout)).message.Text, "QUIET WORDS");
  await client.stop();
  await acceptor.stop();
});

test("peers use the adapter named in their options, by name or as an object", T, async () => {
  const name = detectRuntime()!;
  const transport = await loadTransport(name);
  assert.equal(transport.name, name);
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", transport: name });
  const serverLog = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", serverLog.handler);
  await acceptor.start();
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}`, transport });
  bindProcessorHandler(client, "tcp.ltv", () => {});
  await client.start();
  const accepted = await serverLog.nextOf(SessionAccepted);
  const raw = accepted.session.raw!;
  assert.equal(raw.localAddress.port, acceptor.port);
  assert.equal(raw.remoteAddress.port, client.session.raw!.localAddress.port);
  assert.equal(accepted.session.remoteAddress, `127.0.0.1:${raw.remoteAddress.port}`);
  accepted.session.setContext("user", 42);
  assert.equal(accepted.session.getContext("user"), 42);
  assert.equal(accepted.session.getContext("none"), undefined);
  await client.stop();
  await acceptor.stop();
});

test("broadcast encodes once and reaches every session", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const serverLog = new EventLog();
  bindProcessorHandler(acceptor, "tcp.ltv", serverLog.handler);
  await acceptor.start();
  const logs: EventLog[] = [];
  const clients: tcp.SyncConnector[] = [];
  for (let i = 0; i < 5; i++) {
    const { client: c, log } = await syncClient(acceptor.port);
    await serverLog.nextOf(SessionAccepted);
    clients.push(c);
    logs.push(log);
  }
  assert.equal(acceptor.broadcast(new Ping({ Text: "all", Seq: 5 })), 5);
  for (const log of logs) assert.equal((await log.nextOf(Ping)).message.Text, "all");
  for (const c of clients) await c.stop();
  await acceptor.stop();
});

registerProcessor("test.badhooker", (peer, cb) => ({
  transmitter: new LTVTransmitter(),
  hooker: {
    onInboundEvent: (ev: Event) => {
      if (!(ev.message instanceof Ping)) throw new Error(`hooker bug on ${ev.message}`);
      return ev;
    },
  },
  callback: queuedCallback(peer, cb),
}));

test(
  "a hooker that throws on system events is logged and the acceptor keeps serving",
  T,
  async () => {
    const logger = new MemoryLogger();
    const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0", logger });
    bindProcessorHandler(acceptor, "test.badhooker", (ev) => {
      if (ev.message instanceof Ping) ev.session.send(ev.message);
    });
    await acceptor.start();
    for (let round = 0; round < 2; round++) {
      const { client, log } = await syncClient(acceptor.port);
      client.session.send(new Ping({ Text: "through", Seq: round }));
      assert.equal((await log.nextOf(Ping)).message.Seq, round);
      await client.stop();
    }
    await acceptor.stop();
    assert.ok(
      logger.lines.some((l) =>
        l.includes("inbound hooker failed on SessionAccepted") && l.includes("hooker bug")
      ),
    );
    assert.ok(logger.lines.some((l) => l.includes("inbound hooker failed on SessionClosed")));
  },
);

test("chainHookers keeps only the directions its hookers have", () => {
  const inbound = chainHookers([{ onInboundEvent: (ev) => ev }, { onInboundEvent: (ev) => ev }]);
  assert.equal(typeof inbound?.onInboundEvent, "function");
  assert.equal(inbound?.onOutboundEvent, undefined, "no outbound hook: broadcast may encode once");
  const both = chainHookers([{ onInboundEvent: (ev) => ev }, { onOutboundEvent: () => undefined }]);
  assert.equal(typeof both?.onOutboundEvent, "function");
  assert.equal(chainHookers([undefined]), undefined);
});
