// The message log: cellnet's lines exactly as the msglog vectors, modes and
// rules, per-peer switch, pluggable logger, colour only when asked.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  defineMessage,
  type Logger,
  msglog,
  NotRegisteredError,
  type Peer,
  RawPacket,
  relay,
  RemoteCallREQ,
  rpc,
  SessionAccepted,
  SessionConnected,
  t,
  tcp,
} from "../mod.ts";
import { EventLog, hex, MemoryLogger, T, within } from "./_helpers.ts";
import { PlainACK, TestEchoACK } from "./_ext_messages.ts";
import { ext } from "./_ext_vectors.ts";

const TIME = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/;
const vectorLines = (label: string) => ext.msglog.lines.find((l) => l.label === label)!.lines;

/** Log `peers` into one list of golog lines, the timestamp replaced by `<time>` as in the vectors. */
function capture(peers: Peer[], level: "debug" | "info" = "debug"): string[] {
  const lines: string[] = [];
  const logger = (name: string) =>
    new msglog.GoLogger(name, { level, write: (l) => lines.push(l.replace(TIME, "<time>")) });
  for (const p of peers) msglog.enable(p, { logger });
  return lines;
}

/** A server named "server" that answers plain messages plainly and rpc by rpc, and a connected client named "client". */
async function pair() {
  const server = new tcp.Acceptor({
    name: "server",
    address: "127.0.0.1:0",
    logger: new MemoryLogger(),
  });
  const serverLog = new EventLog();
  bindProcessorHandler(server, "tcp.ltv", (ev) => {
    serverLog.handler(ev);
    if (ev.message instanceof TestEchoACK) ev.reply(new TestEchoACK({ ...ev.message }));
    if (ev.message instanceof PlainACK) ev.reply(new PlainACK({ ...ev.message }));
  });
  await server.start();
  const client = new tcp.Connector({ name: "client", address: `127.0.0.1:${server.port}` });
  const log = new EventLog();
  bindProcessorHandler(client, "tcp.ltv", log.handler);
  const lines = capture([client, server]);
  await client.start();
  await log.nextOf(SessionConnected);
  await serverLog.nextOf(SessionAccepted);
  return {
    server,
    client,
    log,
    serverLog,
    lines,
    async stop() {
      await client.stop();
      await server.stop();
    },
  };
}

async function exchange(
  p: Awaited<ReturnType<typeof pair>>,
  msg: TestEchoACK | PlainACK,
): Promise<void> {
  p.client.session.send(msg);
  await p.log.nextOf(msg.constructor as typeof TestEchoACK);
}

test(
  "msglog writes cellnet's #tcp lines for a message with String() and one without",
  T,
  async () => {
    const p = await pair();
    try {
      p.lines.length = 0;
      await exchange(p, new TestEchoACK({ Msg: "hello", Value: 1234 }));
      assert.deepEqual(
        p.lines,
        vectorLines(
          "tcp: TestEchoACK sent by the client, received and echoed by the server (binary codec, type with String())",
        ),
      );
      p.lines.length = 0;
      await exchange(p, new PlainACK({ Text: "plain", N: 7 }));
      assert.deepEqual(
        p.lines,
        vectorLines("tcp: PlainACK (no String() method: %+v of the pointer)"),
      );
    } finally {
      await p.stop();
    }
  },
);

test("msglog writes cellnet's lines for the system events", T, async () => {
  const p = await pair();
  const closed = p.serverLog.next(
    (e) => e.message?.constructor?.name === "SessionClosed",
    "server close",
  );
  await p.client.stop();
  await closed;
  await p.server.stop();
  const sys = p.lines.filter((l) => /Session(Connected|Accepted|Closed)/.test(l));
  assert.deepEqual(sys.sort(), [...vectorLines("tcp: system events")].sort());
});

test(
  "msglog writes the 4 #rpc lines of one call and no #tcp line for the envelopes",
  T,
  async () => {
    const p = await pair();
    try {
      p.lines.length = 0;
      await rpc.call(p.client, new TestEchoACK({ Msg: "hello", Value: 1234 }), { timeoutMs: 5000 });
      // The server's send line is written when its reply goes out, before the client reads it.
      assert.deepEqual(
        p.lines,
        vectorLines(
          "rpc.Call + Reply: the 4 lines of one call (client send, server recv, server send, client recv)",
        ),
      );
    } finally {
      await p.stop();
    }
  },
);

test(
  "a RemoteCallREQ sent as a RawPacket is logged as its decoded envelope, with cellnet's text",
  T,
  async () => {
    const p = await pair();
    try {
      p.lines.length = 0;
      p.client.session.send(new RawPacket(RemoteCallREQ.meta.id, hex("01b4240a020000114d")));
      p.client.session.send(new TestEchoACK({ Msg: "after", Value: 1 }));
      await p.log.nextOf(TestEchoACK);
      const want = vectorLines(
        "a RemoteCallREQ sent as RawPacket (logged by tcpproc with the envelope text, note the trailing space) and the server's error line",
      );
      assert.equal(p.lines[0], want[0]);
    } finally {
      await p.stop();
    }
  },
);

test("msglog writes cellnet's #relay lines for every relay vector", T, async () => {
  const backend = new tcp.Acceptor({ name: "backend", address: "127.0.0.1:0" });
  const got = new EventLog();
  bindProcessorHandler(backend, "tcp.ltv", (ev) => {
    got.handler(ev);
    if (
      ev instanceof relay.RecvMsgEvent && ev.message instanceof TestEchoACK &&
      ev.message.Msg === "reply please"
    ) {
      ev.reply(new TestEchoACK({ Msg: "pong", Value: 9 }));
    }
  });
  await backend.start();
  const agent = new tcp.SyncConnector({ name: "agent", address: `127.0.0.1:${backend.port}` });
  const agentLog = new EventLog();
  bindProcessorHandler(agent, "tcp.ltv", agentLog.handler);
  await agent.start();
  const lines = capture([agent, backend]);
  const echo = (Msg: string, Value: number) => new TestEchoACK({ Msg, Value });
  const cases: [string, () => void][] = [
    ["none (no payload, no pass-through)", () => relay.relay(agent)],
    ["Int64 positive", () => relay.relay(agent, undefined, { int64: 10001 })],
    ["Int64 negative", () => relay.relay(agent, undefined, { int64: -10001 })],
    [
      "Int64Slice with negatives",
      () => relay.relay(agent, undefined, { int64Slice: [1, -1, 10001, -10001, 0] }),
    ],
    ["Str", () => relay.relay(agent, undefined, { str: "route:大厅" })],
    ["Bytes", () => relay.relay(agent, undefined, { bytes: hex("deadbeef") })],
    ["message only", () => relay.relay(agent, echo("hello", 1234))],
    ["message + Int64 10001", () => relay.relay(agent, echo("hello", 1234), { int64: 10001 })],
    [
      "message + all pass-through kinds (server replies)",
      () =>
        relay.relay(agent, echo("reply please", -5), {
          int64: -7,
          int64Slice: [-1, 2],
          str: "s",
          bytes: hex("010203"),
        }),
    ],
  ];
  try {
    for (const [label, send] of cases) {
      lines.length = 0;
      send();
      await got.next((e) => e instanceof relay.RecvMsgEvent, label);
      const want = vectorLines(`relay.Relay: ${label}`);
      if (want.length === 4) {
        await agentLog.next((e) => e instanceof relay.RecvMsgEvent, "the reply");
      }
      assert.deepEqual(lines, want, label);
    }
    lines.length = 0;
    relay.relay(agent, undefined, { int64: 1n });
    await got.next((e) => e instanceof relay.RecvMsgEvent, "int64 1");
    assert.deepEqual(
      lines,
      vectorLines("relay.Relay(ses, int64(1)) on the same connection afterwards"),
    );
  } finally {
    await agent.stop();
    await backend.stop();
  }
});

test("msglog modes and rules show exactly the lines of each mode vector", T, async () => {
  const p = await pair();
  const steps = ext.msglog.modes;
  const run = async () => {
    p.lines.length = 0;
    await exchange(p, new TestEchoACK({ Msg: "hello", Value: 1234 }));
    await exchange(p, new PlainACK({ Text: "plain", N: 7 }));
    return [...p.lines];
  };
  try {
    assert.deepEqual(await run(), steps[0].linesShown, steps[0].step);
    msglog.setMsgLogRule("main.TestEchoACK", msglog.MsgLogRule.BlackList);
    assert.deepEqual(await run(), steps[1].linesShown, steps[1].step);
    msglog.setCurrMsgLogMode(msglog.MsgLogMode.ShowAll);
    assert.deepEqual(await run(), steps[2].linesShown, steps[2].step);
    msglog.setMsgLogRule("main.PlainACK", msglog.MsgLogRule.WhiteList);
    msglog.setCurrMsgLogMode(msglog.MsgLogMode.WhiteList);
    assert.deepEqual(await run(), steps[3].linesShown, steps[3].step);
    msglog.setCurrMsgLogMode(msglog.MsgLogMode.Mute);
    assert.deepEqual(await run(), steps[4].linesShown, steps[4].step);
    msglog.setCurrMsgLogMode(msglog.MsgLogMode.BlackList);
    assert.equal(msglog.blockMessageLog("main\\.Plain.*"), 1);
    assert.ok(msglog.blockMessageLog("Echo") >= 1, "unanchored, as Go's");
    assert.deepEqual(await run(), steps[5].linesShown, steps[5].step);
    // Rule None takes a message off both lists.
    msglog.setMsgLogRule("main.PlainACK", msglog.MsgLogRule.None);
    assert.equal(msglog.isMsgLogValid(PlainACK.meta.id), true);
    assert.equal(msglog.removeBlockedMessage(/main\.TestEchoACK/g), 1);
    assert.equal(msglog.isMsgLogValid(TestEchoACK.meta.id), true);
  } finally {
    msglog.resetMsgLogRules();
    await p.stop();
  }
  // A logger above debug level shows no message line (golog's "tcpproc at info").
  const q = await pair();
  try {
    const quiet = capture([q.client, q.server], "info");
    await exchange(q, new TestEchoACK({ Msg: "hello", Value: 1234 }));
    assert.deepEqual(quiet, steps[6].linesShown, steps[6].step);
  } finally {
    await q.stop();
  }
});

test("setMsgLogRule refuses an unknown name, and a bad pattern is a SyntaxError", () => {
  const rule = ext.msglog.rules.find((r) => r.call.startsWith('SetMsgLogRule("nope.Nope"'))!;
  assert.throws(
    () => msglog.setMsgLogRule("nope.Nope", msglog.MsgLogRule.BlackList),
    (e: unknown) => e instanceof NotRegisteredError && e.message.includes(rule.err),
  );
  assert.throws(() => msglog.blockMessageLog("("), SyntaxError);
  msglog.resetMsgLogRules();
});

test("msglog is off unless enabled, per peer, and disable() turns it off again", T, async () => {
  const p = await pair();
  try {
    msglog.disable(p.client);
    assert.equal(msglog.isEnabled(p.client), false);
    assert.equal(msglog.isEnabled(p.server), true);
    p.lines.length = 0;
    await exchange(p, new TestEchoACK({ Msg: "hello", Value: 1234 }));
    assert.deepEqual(p.lines.map((l) => l.split(" ")[3]), [
      "#tcp.recv(server)@1",
      "#tcp.send(server)@1",
    ]);
    const fresh = new tcp.Acceptor({ address: "127.0.0.1:0" });
    assert.equal(msglog.isEnabled(fresh), false);
  } finally {
    await p.stop();
  }
});

test(
  "msglog takes one Logger for every line, at debug level, without the golog prefix",
  T,
  async () => {
    const p = await pair();
    const seen: string[] = [];
    const one: Logger = {
      debug: (m) => seen.push(m),
      info: () => {},
      warn: () => {},
      error: () => {},
    };
    msglog.enable(p.server, { logger: one });
    try {
      await exchange(p, new TestEchoACK({ Msg: "hello", Value: 1234 }));
      assert.deepEqual(seen, [
        "#tcp.recv(server)@1 len: 11 TestEchoACK | {Msg:hello Value:1234}",
        "#tcp.send(server)@1 len: 11 TestEchoACK | {Msg:hello Value:1234}",
      ]);
    } finally {
      await p.stop();
    }
  },
);

test("GoLogger writes golog's line shape, in colour only when asked", () => {
  const out: string[] = [];
  const now = () => new Date(2024, 0, 2, 3, 4, 5);
  const plain = new msglog.GoLogger("tcpproc", { write: (l) => out.push(l), now });
  plain.debug("#tcp.recv(server)@1 len: 0 SessionAccepted | {}");
  plain.error("rpc.ResolveInboundEvent:", new Error("msg not exists, '4660'"));
  const color = new msglog.GoLogger("tcpproc", { write: (l) => out.push(l), now, color: true });
  color.debug("#tcp.recv(server)@1 x");
  color.debug("#rpc.send(client)@1 x");
  color.warn("slow");
  color.info("nothing to colour");
  assert.deepEqual(out, [
    "[DEBU] tcpproc 2024/01/02 03:04:05 #tcp.recv(server)@1 len: 0 SessionAccepted | {}",
    "[ERRO] tcpproc 2024/01/02 03:04:05 rpc.ResolveInboundEvent: msg not exists, '4660'",
    "\x1b[034m[DEBU] tcpproc 2024/01/02 03:04:05 #tcp.recv(server)@1 x\x1b[0m",
    "\x1b[035m[DEBU] tcpproc 2024/01/02 03:04:05 #rpc.send(client)@1 x\x1b[0m",
    "\x1b[033m[WARN] tcpproc 2024/01/02 03:04:05 slow\x1b[0m",
    "[INFO] tcpproc 2024/01/02 03:04:05 nothing to colour",
  ]);
});

test("message text follows Go: %+v floats, protoplus compact text, quoting and long slices", () => {
  const F = defineMessage("msglogtest.Floats", {
    A: t.float64,
    B: t.float32,
    C: t.slice(t.string),
    D: t.bytes,
    P: t.struct({ X: t.int32 }),
  });
  const f = new F({ A: 1234567, B: 0.1, C: ["a b", ""], D: new Uint8Array([1, 2]) });
  // Go: fmt.Printf("%+v", &V{A: 1234567, B: 0.1, S: []string{"a b", ""}, N: []byte{1, 2}})
  assert.equal(msglog.messageToString(f), "&{A:1.234567e+06 B:0.1 C:[a b ] D:[1 2] P:{X:0}}");
  assert.equal(
    msglog.valueText(new F({ A: 0.00001, B: 1 / 3 })),
    "{A:1e-05 B:0.33333334 C:[] D:[] P:{X:0}}",
  );
  const PP = defineMessage("msglogtest.PP", {
    S: t.string,
    N: t.int64,
    L: t.slice(t.int32),
    Z: t.int32,
    B: t.bool,
    V: t.struct({ X: t.int32, Y: t.int32 }),
  }, { codec: "protoplus" });
  const long = Array.from({ length: 51 }, (_, i) => i);
  assert.equal(
    msglog.messageToString(
      new PP({ S: 'say "hi"\n', N: -5n, L: long, B: true, V: { X: 1, Y: 0 } }),
    ),
    'S:"say \\"hi\\"\\n" N:-5 L:[len: 51] B:true V:{X:1 } ',
  );
  assert.equal(msglog.messageSize(new PP({ N: 1n })), 2);
  assert.equal(msglog.messageToName(new PP()), "PP");
  assert.equal(msglog.messageToString(undefined), "");
  assert.equal(msglog.messageToName({}), "");
  assert.equal(msglog.messageSize({}), 0);
});

test("with msglog off a peer keeps the send path without an outbound hook", T, async () => {
  const server = new tcp.Acceptor({ address: "127.0.0.1:0" });
  bindProcessorHandler(server, "tcp.ltv", () => {});
  await server.start();
  try {
    const { peerBundle } = await import("../src/processor/processor.ts");
    assert.equal(peerBundle(server).hooker?.onOutboundEvent, undefined);
    msglog.enable(server, { logger: new MemoryLogger() });
    assert.equal(typeof peerBundle(server).hooker?.onOutboundEvent, "function");
    msglog.disable(server);
    assert.equal(peerBundle(server).hooker?.onOutboundEvent, undefined);
  } finally {
    await within(server.stop(), 5000, "stop");
  }
});
