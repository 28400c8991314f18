import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import {
  bindProcessorHandler,
  CloseReason,
  ConnectError,
  type Connection,
  createPeer,
  type Event,
  type EventHooker,
  EventQueue,
  type Listener,
  loadTransport,
  LTVTransmitter,
  newGenericPeer,
  queuedCallback,
  registerProcessor,
  type SendMsgEvent,
  SessionAccepted,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  tcp,
  type Transport,
} from "../mod.ts";
import { EventLog, MemoryLogger, RawClient, syncClient, T, within } from "./_helpers.ts";
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
  await assert.rejects(
    client.start(),
    (e: Error) => e instanceof ConnectError && e.message.includes(String(port)),
  );
  await log.nextOf(SessionConnectError);
  await client.stop();
});

test(
  "connector without reconnect delivers SessionConnectError when the dial fails",
  T,
  async () => {
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
  },
);

test(
  "messages sent on a connector before it connects are delivered once connected",
  T,
  async () => {
    const { acceptor, log } = await echoServer();
    const connector = new tcp.Connector({ address: `127.0.0.1:${acceptor.port}` });
    const clientLog = new EventLog();
    bindProcessorHandler(connector, "tcp.ltv", clientLog.handler);
    for (let i = 0; i < 3; i++) {
      assert.equal(
        connector.session.send(new Ping({ Text: "early", Seq: i })),
        true,
      );
    }
    await connector.start();
    for (let i = 0; i < 3; i++) {
      const ev = await log.nextOf(Ping);
      assert.equal(ev.message.Seq, i);
    }
    await connector.stop();
    await acceptor.stop();
  },
);

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

test(
  "an acceptor stopped with clients attached ends with 0 sessions and clients see IO close",
  T,
  async () => {
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
  },
);

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

test(
  "a connector with reconnect comes back after the acceptor restarts on the same port",
  T,
  async () => {
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
  },
);

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
  assert.throws(
    () => createPeer("udp.Nope", { address: "127.0.0.1:0" }),
    /peer type not registered: 'udp.Nope'/,
  );
  await client.stop();
  await acceptor.stop();
  queue.stopLoop();
  await within(queue.wait(), 1000, "queue stop");
});

test("start() without a bound processor fails with a clear error", T, async () => {
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  await assert.rejects(acceptor.start(), /bindProcessorHandler/);
});

// ---- the start/stop state machine (issue 7) ----

/** A port nothing listens on: bound on port 0 by the transport, then released. */
async function freePort(): Promise<number> {
  const transport = await loadTransport();
  const listener = await transport.listen({
    host: "127.0.0.1",
    port: 0,
    onConnection: (c) => c.close(false),
  });
  const port = listener.address.port;
  await listener.close();
  return port;
}

/** True when a dial to `port` is refused (nothing listens there), false when it connects. */
async function isRefused(port: number): Promise<boolean> {
  try {
    const c = await RawClient.connect(port);
    await c.close();
    return false;
  } catch (e) {
    if (e instanceof ConnectError) return true;
    throw e;
  }
}

/**
 * The real transport with its listen and connect held at a gate until
 * {@link release}, so a test can stop or abort a peer in the middle of a
 * bind or a dial. Records what the real transport produced.
 */
class GatedTransport implements Transport {
  readonly name = "gated";
  /** Every listener the real transport bound, whether or not the peer kept it. */
  readonly bound: Listener[] = [];
  /** Resolves when the first listen or connect reached the gate. */
  readonly entered: Promise<void>;
  readonly #real: Transport;
  readonly #gate: Promise<void>;
  #enter!: () => void;
  #open!: () => void;

  private constructor(real: Transport) {
    this.#real = real;
    this.entered = new Promise((r) => (this.#enter = r));
    this.#gate = new Promise((r) => (this.#open = r));
  }

  static async create(): Promise<GatedTransport> {
    return new GatedTransport(await loadTransport());
  }

  /** Let the held call and every later one through. */
  release(): void {
    this.#open();
  }

  async listen(options: Parameters<Transport["listen"]>[0]): Promise<Listener> {
    const listener = await this.#real.listen(options);
    this.bound.push(listener);
    this.#enter();
    await this.#gate;
    return listener;
  }

  async connect(options: Parameters<Transport["connect"]>[0]): Promise<Connection> {
    this.#enter();
    await this.#gate;
    return this.#real.connect(options);
  }
}

function quietAcceptor(address = "127.0.0.1:0", transport?: Transport): tcp.Acceptor {
  const acceptor = new tcp.Acceptor({ address, transport });
  bindProcessorHandler(acceptor, "tcp.ltv", () => {});
  return acceptor;
}

test(
  "two concurrent start() calls on an acceptor bind once, and stop() leaves the port closed",
  T,
  async () => {
    const port = await freePort();
    const acceptor = quietAcceptor(`127.0.0.1:${port}`);
    const [a, b] = await Promise.all([acceptor.start(), acceptor.start()]);
    assert.equal(a, acceptor);
    assert.equal(b, acceptor);
    assert.equal(acceptor.port, port);
    await acceptor.stop();
    assert.equal(await isRefused(port), true, "no second listener was left behind");
    const again = quietAcceptor(`127.0.0.1:${port}`);
    await again.start();
    assert.equal(again.port, port, "the port is free to bind again");
    await again.stop();
  },
);

test(
  "two concurrent start() calls on an ephemeral-port acceptor make one listen call",
  T,
  async () => {
    const gated = await GatedTransport.create();
    gated.release();
    const acceptor = quietAcceptor("127.0.0.1:0", gated);
    await Promise.all([acceptor.start(), acceptor.start()]);
    assert.equal(gated.bound.length, 1);
    await acceptor.stop();
    assert.equal(await isRefused(gated.bound[0].address.port), true);
  },
);

test(
  "two concurrent start() calls on a busy port both reject and leave the acceptor idle",
  T,
  async () => {
    const busy = quietAcceptor();
    await busy.start();
    const port = busy.port;
    const acceptor = quietAcceptor(`127.0.0.1:${port}`);
    const results = await Promise.allSettled([acceptor.start(), acceptor.start()]);
    assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
    assert.equal(acceptor.phase, "idle");
    await busy.stop();
    await acceptor.start();
    assert.equal(acceptor.port, port, "a failed start leaves the peer startable");
    await acceptor.stop();
  },
);

test("a second start() during a start returns the same promise", T, async () => {
  const acceptor = quietAcceptor();
  const first = acceptor.start();
  assert.equal(acceptor.phase, "starting");
  assert.equal(acceptor.start(), first);
  await first;
  assert.equal(acceptor.phase, "running");
  await acceptor.stop();
});

test(
  "stop() while an acceptor's start() is pending wins: the start resolves and nothing listens",
  T,
  async () => {
    const port = await freePort();
    const acceptor = quietAcceptor(`127.0.0.1:${port}`);
    const starting = acceptor.start();
    await acceptor.stop();
    assert.equal(await starting, acceptor);
    assert.equal(acceptor.isRunning, false);
    assert.equal(acceptor.phase, "idle");
    assert.equal(acceptor.port, 0);
    assert.equal(await isRefused(port), true);
    // The interrupted start left nothing behind: the peer starts normally again.
    await acceptor.start();
    assert.equal(acceptor.port, port);
    await acceptor.stop();
  },
);

test("stop() during an acceptor's bind closes the listener the bind produced", T, async () => {
  const gated = await GatedTransport.create();
  const acceptor = quietAcceptor("127.0.0.1:0", gated);
  const starting = acceptor.start();
  await within(gated.entered, 5000, "the bind");
  const port = gated.bound[0].address.port;
  const stopping = acceptor.stop();
  assert.equal(acceptor.isRunning, false);
  gated.release();
  await stopping;
  assert.equal(await starting, acceptor);
  assert.equal(acceptor.phase, "idle");
  assert.equal(await isRefused(port), true, "the late listener was closed");
});

test("a start() during a stop waits for the stop, then starts", T, async () => {
  const port = await freePort();
  const { acceptor, log } = await echoServer(new EventLog(), `127.0.0.1:${port}`);
  const { client, log: clientLog } = await syncClient(port);
  await log.nextOf(SessionAccepted);
  const stopping = acceptor.stop();
  assert.equal(acceptor.phase, "stopping");
  const starting = acceptor.start();
  await stopping;
  assert.equal(await starting, acceptor);
  assert.equal(acceptor.isRunning, true);
  assert.equal(acceptor.port, port);
  assert.equal(
    (await log.nextOf(SessionClosed)).message.reason,
    CloseReason.Manual,
    "the stop closed the old session",
  );
  await clientLog.nextOf(SessionClosed);
  const { client: next } = await syncClient(port);
  assert.equal(next.isConnected, true);
  await client.stop();
  await next.stop();
  await acceptor.stop();
});

test("two concurrent SyncConnector.start() calls both resolve only once connected", T, async () => {
  const { acceptor, log } = await echoServer();
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
  bindProcessorHandler(client, "tcp.ltv", () => {});
  const connectedAtResolve = await Promise.all([
    client.start().then(() => client.isConnected),
    client.start().then(() => client.isConnected),
  ]);
  assert.deepEqual(connectedAtResolve, [true, true]);
  await log.nextOf(SessionAccepted);
  await client.stop();
  await log.nextOf(SessionClosed);
  assert.equal(
    log.events.filter((e) => e.message instanceof SessionAccepted).length,
    1,
    "one dial",
  );
  await acceptor.stop();
});

test("two concurrent SyncConnector.start() calls both reject when the dial fails", T, async () => {
  const port = await freePort();
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(client, "tcp.ltv", log.handler);
  const results = await Promise.allSettled([client.start(), client.start()]);
  for (const r of results) {
    assert.equal(r.status, "rejected");
    assert.ok((r as PromiseRejectedResult).reason instanceof ConnectError);
  }
  assert.equal((await log.nextOf(SessionConnectError)).message.attempt, 1);
  assert.equal(
    log.events.filter((e) => e.message instanceof SessionConnectError).length,
    1,
    "one dial",
  );
  assert.equal(client.isRunning, false);
  await client.stop();
});

test(
  "stop() during a SyncConnector's dial makes its start() reject with ConnectError",
  T,
  async () => {
    const { acceptor } = await echoServer();
    const client = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
    bindProcessorHandler(client, "tcp.ltv", () => {});
    const starting = client.start();
    await client.stop();
    await assert.rejects(
      starting,
      (e: Error) => e instanceof ConnectError && /stopped before it connected/.test(e.message),
    );
    assert.equal(client.isRunning, false);
    assert.equal(client.isConnected, false);
    assert.equal(client.phase, "idle");
    await acceptor.stop();
  },
);

test(
  "stop() during a SyncConnector's dial that hangs returns at once, and the late connection is dropped",
  T,
  async () => {
    const { acceptor, log: serverLog } = await echoServer();
    const gated = await GatedTransport.create();
    const client = new tcp.SyncConnector({
      address: `127.0.0.1:${acceptor.port}`,
      transport: gated,
    });
    const log = new EventLog();
    bindProcessorHandler(client, "tcp.ltv", log.handler);
    try {
      const starting = client.start();
      starting.catch(() => {});
      await within(gated.entered, 5000, "the dial");
      await within(client.stop(), 2000, "a stop during a hanging dial");
      await assert.rejects(within(starting, 2000, "the start"), ConnectError);
      assert.equal(client.isRunning, false);
      // The dial completes after the stop: its connection is closed, never attached.
      gated.release();
      await serverLog.nextOf(SessionAccepted);
      assert.equal((await serverLog.nextOf(SessionClosed)).message.reason, CloseReason.IO);
      assert.equal(client.isConnected, false);
      assert.equal(log.events.some((e) => e.message instanceof SessionConnected), false);
    } finally {
      gated.release();
      await client.stop();
      await acceptor.stop();
    }
  },
);

// ---- session ids ----

test(
  "setSessionIdBase(1000) makes the next session 1001 on a real connection; 0 is legal",
  T,
  async () => {
    const { acceptor, log } = await echoServer();
    acceptor.setSessionIdBase(1000);
    const clients = [];
    clients.push((await syncClient(acceptor.port)).client);
    assert.equal((await log.nextOf(SessionAccepted)).session.id, 1001);
    clients.push((await syncClient(acceptor.port)).client);
    assert.equal((await log.nextOf(SessionAccepted)).session.id, 1002);
    assert.equal(acceptor.getSession(1001)?.isOpen, true);
    acceptor.setSessionIdBase(0);
    clients.push((await syncClient(acceptor.port)).client);
    assert.equal((await log.nextOf(SessionAccepted)).session.id, 1);
    const connector = new tcp.SyncConnector({ address: `127.0.0.1:${acceptor.port}` });
    bindProcessorHandler(connector, "tcp.ltv", () => {});
    connector.setSessionIdBase(41);
    await connector.start();
    assert.equal(connector.session.id, 42);
    await connector.stop();
    for (const c of clients) await c.stop();
    await acceptor.stop();
  },
);

// ---- failed dials: events and logs ----

test(
  "a reconnecting connector with nothing listening numbers every failed dial; warn for 1-3 and every 20th",
  T,
  async () => {
    const port = await freePort();
    const logger = new MemoryLogger();
    const connector = new tcp.Connector({
      name: "redialer",
      address: `127.0.0.1:${port}`,
      reconnectIntervalMs: 1,
      logger,
    });
    const log = new EventLog();
    bindProcessorHandler(connector, "tcp.ltv", log.handler);
    await connector.start();
    const attempts: number[] = [];
    for (let i = 1; i <= 21; i++) {
      const ev = await log.nextOf(SessionConnectError);
      assert.ok(ev.message.error instanceof ConnectError, String(ev.message.error));
      attempts.push(ev.message.attempt);
    }
    assert.equal(connector.isRunning, true, "still redialling");
    await connector.stop();
    assert.deepEqual(attempts, Array.from({ length: 21 }, (_, i) => i + 1));
    const levelOf = (n: number): string | undefined =>
      logger.lines.find((l) => l.includes(`127.0.0.1:${port}`) && l.includes(`(attempt ${n},`))
        ?.split(" ")[0];
    for (let n = 1; n <= 21; n++) {
      assert.equal(levelOf(n), n <= 3 || n === 20 ? "WARN" : "DEBUG", `attempt ${n}`);
    }
    const third = logger.lines.find((l) => l.includes("(attempt 3,"));
    assert.match(third!, /further failures are logged every 20th/);
  },
);

test(
  "a connector without reconnect reports its one failed dial as attempt 1, logged at warn",
  T,
  async () => {
    const port = await freePort();
    const logger = new MemoryLogger();
    const connector = new tcp.Connector({ name: "once", address: `127.0.0.1:${port}`, logger });
    const log = new EventLog();
    bindProcessorHandler(connector, "tcp.ltv", log.handler);
    await connector.start();
    const ev = await log.nextOf(SessionConnectError);
    assert.equal(ev.message.attempt, 1);
    assert.ok(ev.message.error instanceof ConnectError);
    assert.equal(connector.isRunning, false);
    assert.ok(
      logger.lines.some((l) => l.startsWith("WARN [once]") && l.includes(`127.0.0.1:${port}`)),
      logger.lines.join("\n"),
    );
    await connector.stop();
  },
);

test(
  'the log line and the error of a failed dial say "connect to <address> failed" once',
  T,
  async () => {
    const port = await freePort();
    const where = `127.0.0.1:${port}`;
    const logger = new MemoryLogger();
    const connector = new tcp.Connector({ address: where, logger });
    const log = new EventLog();
    bindProcessorHandler(connector, "tcp.ltv", log.handler);
    await connector.start();
    const ev = await log.nextOf(SessionConnectError);
    const once = (s: string) =>
      s.split(`connect to ${where}`).length === 2 && !/failed: connect to/.test(s);
    assert.ok(once(ev.message.error!.message), ev.message.error!.message);
    const line = logger.lines.find((l) => l.startsWith("WARN") && l.includes(where));
    assert.ok(line && once(line), line ?? logger.lines.join("\n"));
    await connector.stop();
    const sync = new tcp.SyncConnector({ address: where, logger });
    bindProcessorHandler(sync, "tcp.ltv", () => {});
    await assert.rejects(sync.start(), (e: Error) => once(e.message));
  },
);

// ---- handler and hooker errors ----

for (const queued of [false, true]) {
  test(
    `a failing handler is logged with peer, session, remote address and message name (${
      queued ? "queued" : "direct"
    })`,
    T,
    async () => {
      const logger = new MemoryLogger();
      const queue = queued ? new EventQueue({ logger }).startLoop() : undefined;
      const acceptor = new tcp.Acceptor({ name: "boomsrv", address: "127.0.0.1:0", logger, queue });
      bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
        if (!(ev.message instanceof Ping)) return;
        if (ev.message.Seq === 1) throw new Error("handler bug");
        // A rejected promise is reported the same way.
        if (ev.message.Seq === 2) return Promise.reject(new Error("async handler bug"));
        ev.reply(ev.message);
      });
      await acceptor.start();
      const { client, log } = await syncClient(acceptor.port);
      for (const seq of [1, 2, 3]) client.session.send(new Ping({ Text: "x", Seq: seq }));
      assert.equal((await log.nextOf(Ping)).message.Seq, 3, "the session stays open");
      const where = `[boomsrv] session 1 (127.0.0.1:${
        client.session.raw!.localAddress.port
      }): handler on test.Ping failed`;
      for (const bug of ["handler bug", "async handler bug"]) {
        const line = logger.lines.find((l) => l.startsWith("ERROR") && l.endsWith(bug));
        assert.ok(line?.includes(where), `${line} should contain ${where}`);
      }
      await client.stop();
      await acceptor.stop();
      if (queue) {
        queue.stopLoop();
        await within(queue.wait(), 1000, "queue stop");
      }
    },
  );
}

/** Throws on Ping #1, passes everything else. */
const throwingHooker: EventHooker = {
  onInboundEvent: (ev) => {
    if (ev.message instanceof Ping && ev.message.Seq === 1) throw new Error("hooker bug");
    return ev;
  },
};

registerProcessor("test.lifecycle.throwinghooker", (peer, cb) => ({
  transmitter: new LTVTransmitter(),
  hooker: throwingHooker,
  callback: queuedCallback(peer, cb),
}));

for (const via of ["the hookers option", "the processor's own hooker"]) {
  test(
    `an inbound hooker that throws on a message is logged and the session stays open (${via})`,
    T,
    async () => {
      const logger = new MemoryLogger();
      const acceptor = new tcp.Acceptor({ name: "hooksrv", address: "127.0.0.1:0", logger });
      const log = new EventLog();
      const handler = (ev: Event) => {
        log.handler(ev);
        if (ev.message instanceof Ping) ev.reply(ev.message);
      };
      if (via === "the hookers option") {
        bindProcessorHandler(acceptor, "tcp.ltv", handler, { hookers: [throwingHooker] });
      } else bindProcessorHandler(acceptor, "test.lifecycle.throwinghooker", handler);
      await acceptor.start();
      const { client, log: clientLog } = await syncClient(acceptor.port);
      client.session.send(new Ping({ Text: "x", Seq: 1 }));
      client.session.send(new Ping({ Text: "x", Seq: 2 }));
      assert.equal((await clientLog.nextOf(Ping)).message.Seq, 2);
      assert.equal(
        log.events.some((e) => e.message instanceof SessionClosed),
        false,
        "the session was not closed",
      );
      assert.equal(
        log.events.filter((e) => e.message instanceof Ping).length,
        1,
        "the event the hooker threw on is dropped",
      );
      const where = `[hooksrv] session 1 (127.0.0.1:${
        client.session.raw!.localAddress.port
      }): inbound hooker failed on test.Ping`;
      const line = logger.lines.find((l) => l.startsWith("ERROR") && l.endsWith("hooker bug"));
      assert.ok(line?.includes(where), `${line} should contain ${where}`);
      await client.stop();
      await acceptor.stop();
    },
  );
}

// ---- remote closes ----

test("a clean remote close (FIN) gives SessionClosed IO with no error", T, async () => {
  const { acceptor, log } = await echoServer();
  const raw = await RawClient.connect(acceptor.port);
  await log.nextOf(SessionAccepted);
  raw.conn.close(true);
  const ev = await log.nextOf(SessionClosed);
  assert.equal(ev.message.reason, CloseReason.IO);
  assert.equal(ev.message.error, undefined);
  await within(raw.closed, 5000, "raw client close");
  await acceptor.stop();
});

// node:net's resetAndDestroy() sends RST (SO_LINGER 0); Deno's and Bun's
// node:net have it too. A runtime without it skips the test.
const resetSkip = typeof net.Socket.prototype.resetAndDestroy === "function"
  ? false
  : "no resetAndDestroy()";

test(
  "a reset from the remote gives SessionClosed IO with the error",
  { ...T, skip: resetSkip },
  async () => {
    const { acceptor, log } = await echoServer();
    const socket = net.connect({ host: "127.0.0.1", port: acceptor.port });
    socket.on("error", () => {});
    await within(new Promise((r) => socket.once("connect", r)), 5000, "connect");
    await log.nextOf(SessionAccepted);
    socket.resetAndDestroy();
    const ev = await log.nextOf(SessionClosed);
    assert.equal(ev.message.reason, CloseReason.IO);
    assert.ok(
      ev.message.error instanceof Error,
      `expected an error, got ${String(ev.message.error)}`,
    );
    await acceptor.stop();
  },
);

// ---- modern idioms: asyncDispose, AbortSignal ----

test("peer[Symbol.asyncDispose]() stops acceptors, connectors and sync connectors", T, async () => {
  const { acceptor } = await echoServer();
  const port = acceptor.port;
  const connector = new tcp.Connector({ address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(connector, "tcp.ltv", log.handler);
  await connector.start();
  await log.nextOf(SessionConnected);
  const { client: sync } = await syncClient(port);
  await connector[Symbol.asyncDispose]();
  assert.equal(connector.isRunning, false);
  assert.equal(connector.isConnected, false);
  await sync[Symbol.asyncDispose]();
  assert.equal(sync.isRunning, false);
  assert.equal(sync.isConnected, false);
  await acceptor[Symbol.asyncDispose]();
  assert.equal(acceptor.isRunning, false);
  assert.equal(acceptor.sessionCount(), 0);
  assert.equal(await isRefused(port), true);
});

test("await using stops an acceptor when its scope ends", T, async () => {
  // In its own file so this one does not depend on the syntax (tsx lowers it on Node 20).
  const { acceptorInScope } = await import("./_await_using.ts");
  const { acceptor, port, wasRunning } = await acceptorInScope();
  assert.equal(wasRunning, true);
  assert.equal(acceptor.isRunning, false);
  assert.equal(await isRefused(port), true);
});

test(
  "start(signal) with an already aborted signal rejects at once with its reason and starts nothing",
  T,
  async () => {
    const gated = await GatedTransport.create();
    gated.release();
    const reason = new Error("never mind");
    const acceptor = quietAcceptor("127.0.0.1:0", gated);
    await assert.rejects(acceptor.start(AbortSignal.abort(reason)), (e) => e === reason);
    assert.equal(acceptor.phase, "idle");
    const client = new tcp.SyncConnector({ address: "127.0.0.1:1", transport: gated });
    bindProcessorHandler(client, "tcp.ltv", () => {});
    await assert.rejects(client.start(AbortSignal.abort(reason)), (e) => e === reason);
    assert.equal(client.phase, "idle");
    assert.equal(gated.bound.length, 0, "nothing was bound");
  },
);

test(
  "aborting right after start(signal) stops the acceptor and rejects with the reason",
  T,
  async () => {
    const port = await freePort();
    const acceptor = quietAcceptor(`127.0.0.1:${port}`);
    const ac = new AbortController();
    const starting = acceptor.start(ac.signal);
    const reason = new Error("cancelled");
    ac.abort(reason);
    await assert.rejects(within(starting, 2000, "the start"), (e) => e === reason);
    await acceptor.stop();
    assert.equal(acceptor.phase, "idle");
    assert.equal(await isRefused(port), true);
  },
);

test(
  "aborting during an acceptor's bind rejects with the reason and closes the late listener",
  T,
  async () => {
    const gated = await GatedTransport.create();
    const acceptor = quietAcceptor("127.0.0.1:0", gated);
    const ac = new AbortController();
    const starting = acceptor.start(ac.signal);
    await within(gated.entered, 5000, "the bind");
    const reason = new Error("cancelled mid-bind");
    ac.abort(reason);
    await assert.rejects(within(starting, 2000, "the start"), (e) => e === reason);
    gated.release();
    await acceptor.stop();
    assert.equal(acceptor.phase, "idle");
    assert.equal(await isRefused(gated.bound[0].address.port), true);
  },
);

test(
  "aborting during a SyncConnector's hanging dial rejects with the reason and stops it",
  T,
  async () => {
    const { acceptor } = await echoServer();
    const gated = await GatedTransport.create();
    const client = new tcp.SyncConnector({
      address: `127.0.0.1:${acceptor.port}`,
      transport: gated,
    });
    bindProcessorHandler(client, "tcp.ltv", () => {});
    try {
      const ac = new AbortController();
      const starting = client.start(ac.signal);
      await within(gated.entered, 5000, "the dial");
      const reason = new Error("user gave up");
      ac.abort(reason);
      await assert.rejects(within(starting, 2000, "the start"), (e) => e === reason);
      await within(client.stop(), 2000, "the stop");
      assert.equal(client.phase, "idle");
    } finally {
      gated.release();
      await client.stop();
      await acceptor.stop();
    }
  },
);

test("a signal aborted after start(signal) resolved leaves the peer running", T, async () => {
  const acceptor = quietAcceptor();
  const ac = new AbortController();
  await acceptor.start(ac.signal);
  ac.abort();
  await Promise.resolve();
  assert.equal(acceptor.isRunning, true);
  assert.equal(await isRefused(acceptor.port), false);
  await acceptor.stop();
});

test("EventQueue.startLoop(signal): aborting stops the loop and wait() resolves", T, async () => {
  const ac = new AbortController();
  const q = new EventQueue().startLoop(ac.signal);
  const seen: number[] = [];
  q.post(() => seen.push(1));
  const waiting = q.wait();
  ac.abort();
  await within(waiting, 1000, "wait");
  assert.equal(q.running, false);
  assert.deepEqual(seen, [1]);
  q.post(() => seen.push(2));
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seen, [1], "a stopped loop runs nothing");
  const already = new EventQueue().startLoop(AbortSignal.abort());
  await within(already.wait(), 1000, "wait on an already aborted loop");
  assert.equal(already.running, false);
});

test("an earlier startLoop's signal does not stop a later loop", T, async () => {
  const ac = new AbortController();
  const q = new EventQueue().startLoop(ac.signal);
  q.stopLoop();
  await within(q.wait(), 1000, "first stop");
  q.startLoop();
  ac.abort();
  const ran = new Promise<void>((r) => q.post(r));
  await within(ran, 1000, "a callback on the second loop");
  assert.equal(q.running, true);
  q.stopLoop();
  await within(q.wait(), 1000, "second stop");
});

// ---- bindProcessorHandler hookers, Event.reply ----

const hookOrder: string[] = [];
registerProcessor("test.lifecycle.ownhooker", (peer, cb) => ({
  transmitter: new LTVTransmitter(),
  hooker: {
    onInboundEvent: (ev) => {
      if (ev.message instanceof Ping) hookOrder.push(`own ${ev.message.Seq}`);
      return ev;
    },
  },
  callback: queuedCallback(peer, cb),
}));

test(
  "bindProcessorHandler's hookers run after the processor's own, and outbound hookers see sends",
  T,
  async () => {
    hookOrder.length = 0;
    const sent: string[] = [];
    const extra: EventHooker = {
      onInboundEvent: (ev) => {
        if (ev.message instanceof Ping) hookOrder.push(`extra ${ev.message.Seq}`);
        return ev;
      },
      onOutboundEvent: (ev: SendMsgEvent) => {
        if (ev.message instanceof Ping) sent.push(`${ev.message.Text} ${ev.message.Seq}`);
        return ev;
      },
    };
    const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
    bindProcessorHandler(acceptor, "test.lifecycle.ownhooker", (ev) => {
      if (ev.message instanceof Ping) ev.reply(new Ping({ Text: "echo", Seq: ev.message.Seq }));
    }, { hookers: [extra] });
    await acceptor.start();
    const { client, log } = await syncClient(acceptor.port);
    client.session.send(new Ping({ Text: "in", Seq: 5 }));
    assert.equal((await log.nextOf(Ping)).message.Seq, 5);
    assert.deepEqual(hookOrder, ["own 5", "extra 5"]);
    assert.equal(acceptor.broadcast(new Ping({ Text: "all", Seq: 6 })), 1);
    assert.equal((await log.nextOf(Ping)).message.Seq, 6);
    assert.deepEqual(sent, ["echo 5", "all 6"]);
    await client.stop();
    await acceptor.stop();
  },
);

test("Event.reply on an inbound event sends on the session it arrived on", T, async () => {
  const replied: boolean[] = [];
  const acceptor = new tcp.Acceptor({ address: "127.0.0.1:0" });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    if (ev.message instanceof Ping) {
      replied.push(ev.reply(new Ping({ Text: `re ${ev.message.Text}`, Seq: ev.session.id })));
    }
  });
  await acceptor.start();
  const a = await syncClient(acceptor.port);
  const b = await syncClient(acceptor.port);
  b.client.session.send(new Ping({ Text: "b", Seq: 0 }));
  a.client.session.send(new Ping({ Text: "a", Seq: 0 }));
  const ra = (await a.log.nextOf(Ping)).message;
  const rb = (await b.log.nextOf(Ping)).message;
  assert.equal(ra.Text, "re a");
  assert.equal(rb.Text, "re b");
  assert.notEqual(ra.Seq, rb.Seq);
  assert.deepEqual(replied, [true, true]);
  await a.client.stop();
  await b.client.stop();
  await acceptor.stop();
});
