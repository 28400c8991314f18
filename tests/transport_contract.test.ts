/**
 * The Connection contract of src/transport/transport.ts, one set of
 * scenarios run against every transport that can run here, over real
 * loopback sockets: on Node the node adapter; on Deno the deno adapter and
 * the node adapter (Deno's node:net); on Bun the bun adapter and the node
 * adapter (Bun's node:net).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bindProcessorHandler,
  CloseReason,
  EventQueue,
  MessageDispatcher,
  type Session,
  SessionAccepted,
  SessionClosed,
  SlowConsumerError,
  tcp,
} from "../mod.ts";
import { ChatACK, ChatREQ } from "../examples/chat/proto.ts";
import {
  AddressInUseError,
  CellnetError,
  ConnectError,
  ListenError,
  NetworkError,
  TimeoutError,
} from "../src/errors.ts";
import { detectRuntime, loadTransport } from "../src/transport/auto.ts";
import {
  type Connection,
  type RuntimeName,
  type Transport,
  WRITE_HIGH_WATER,
} from "../src/transport/transport.ts";
import {
  checkPattern,
  concat,
  encode,
  HOST,
  pattern,
  Recorder,
  resettingListener,
  withPair,
  withServer,
} from "./_transport.ts";
import { testLogger } from "./_helpers.ts";
import { deafListener, portOf } from "./_reliability.ts";
import { within } from "./_within.ts";

/** The transports under test: this runtime's own adapter, then node:net through its Node compatibility. */
const TRANSPORTS: readonly RuntimeName[] = detectRuntime() === "node"
  ? ["node"]
  : [detectRuntime()!, "node"];

const OPTS = { timeout: 20_000 };

/** Register `body` once per transport, named `<transport> transport: <title>`. */
function contract(title: string, body: (transport: Transport) => Promise<void>): void {
  for (const name of TRANSPORTS) {
    test(`${name} transport: ${title}`, OPTS, async () => body(await loadTransport(name)));
  }
}

/** Writes `chunk` until write() returns false, checking its answer against bufferedAmount every time. */
function writeUntilRefused(conn: Connection, chunkSize = 4096, limit = 256 * 1024 * 1024): number {
  let total = 0;
  for (;;) {
    const before = conn.bufferedAmount;
    const ok = conn.write(pattern(total, chunkSize));
    total += chunkSize;
    const after = conn.bufferedAmount;
    assert.equal(ok, after < WRITE_HIGH_WATER, `write() said ${ok} with ${after} bytes buffered`);
    if (!ok) {
      assert.ok(before < WRITE_HIGH_WATER, "the write before was accepted below the mark");
      return total;
    }
    assert.ok(total < limit, "write() never pushed back");
  }
}

contract("listen on port 0 reports the real port, and a dial reaches it", async (transport) => {
  await withServer(transport, async ({ sockets, server }) => {
    assert.equal(server.listener.address.host, HOST);
    assert.ok(server.port > 0 && server.port < 65536, `port ${server.port}`);
    const client = await transport.connect({ host: HOST, port: server.port });
    sockets.handle(client);
    sockets.handle(await server.accepted());
  });
});

contract("bytes echo both ways, and both ends report their addresses", async (transport) => {
  await withServer(transport, async ({ sockets, server }) => {
    const client = await transport.connect({ host: HOST, port: server.port });
    const clientRec = sockets.handle(client);
    const serverConn = await server.accepted();
    const echo = sockets.handle(serverConn, new Recorder(true, (chunk) => serverConn.write(chunk)));
    assert.equal(client.messageOriented, false);
    client.setNoDelay(true);
    serverConn.setNoDelay(true);
    for (const word of ["ping", "pong", "!"]) assert.equal(client.write(encode(word)), true);
    await clientRec.bytes(9);
    assert.equal(clientRec.text(), "pingpong!");
    assert.equal(echo.text(), "pingpong!");

    assert.deepEqual(client.remoteAddress, { host: HOST, port: server.port });
    assert.deepEqual(serverConn.localAddress, { host: HOST, port: server.port });
    assert.deepEqual(serverConn.remoteAddress, client.localAddress);
    assert.equal(client.localAddress.host, HOST);
    assert.ok(client.localAddress.port > 0);
  });
});

contract(
  "many writes arrive in order and intact, though the caller reuses its buffer",
  async (transport) => {
    await withPair(transport, async ({ client, serverRec }) => {
      const scratch = new Uint8Array(4096);
      let offset = 0;
      for (let i = 0; i < 2000; i++) {
        const length = 1 + ((i * 97) % scratch.length);
        scratch.set(pattern(offset, length));
        client.write(scratch.subarray(0, length));
        // Overwrite at once: the transport must have kept its own copy.
        scratch.fill(0xee);
        offset += length;
      }
      await serverRec.bytes(offset);
      assert.equal(serverRec.received, offset);
      checkPattern(concat(serverRec.chunks), 0);
    });
  },
);

contract(
  "nothing is delivered before setHandler, not even bytes and a FIN that arrived earlier",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      // Handler set in a microtask after accept.
      const quick = await transport.connect({ host: HOST, port: server.port });
      sockets.handle(quick);
      quick.write(encode("right away"));
      const quickConn = await server.accepted();
      await Promise.resolve();
      const quickRec = sockets.handle(quickConn);
      assert.equal(quickRec.received, 0, "setHandler itself delivers nothing");

      // Handler set only after the data (and the client's FIN) certainly
      // arrived: a full round trip on another connection happens in between.
      const late = await transport.connect({ host: HOST, port: server.port });
      const lateClientRec = sockets.handle(late);
      late.write(encode("early bird"));
      late.close();
      const lateConn = await server.accepted();
      const probe = await transport.connect({ host: HOST, port: server.port });
      const probeRec = sockets.handle(probe);
      const probeConn = await server.accepted();
      const echo = sockets.handle(probeConn);
      probe.write(encode("?"));
      await echo.bytes(1);
      probeConn.write(encode("!"));
      await probeRec.bytes(1);

      const lateRec = sockets.handle(lateConn);
      assert.equal(lateRec.received, 0, "setHandler itself delivers nothing");
      assert.equal(lateRec.closes, 0, "nor closes");
      assert.equal(await lateRec.closed, undefined, "the FIN is an orderly close");
      assert.equal(lateRec.text(), "early bird", "the bytes came before the close");
      assert.equal(await lateClientRec.closed, undefined);

      await quickRec.bytes(10);
      assert.equal(quickRec.text(), "right away");
    });
  },
);

contract(
  "a graceful close flushes every byte written before it; both ends get onClose() without an error",
  async (transport) => {
    const total = 4 * 1024 * 1024;
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      const serverConn = await server.accepted();

      // More than the socket buffers hold, so most of it is still queued at close().
      for (let offset = 0; offset < total; offset += 32 * 1024) {
        client.write(pattern(offset, 32 * 1024));
      }
      assert.ok(client.bufferedAmount > 0, "bytes are pending at close()");
      client.close();
      client.close();
      assert.equal(client.write(encode("too late")), false, "write after close is ignored");

      const serverRec = sockets.handle(serverConn, new Recorder(false, checkPattern));
      assert.equal(await serverRec.closed, undefined, "the peer sees an orderly close");
      assert.equal(serverRec.received, total, "every byte written before close() arrived");
      assert.equal(await clientRec.closed, undefined);
      assert.equal(clientRec.received, 0);
      assert.equal(client.bufferedAmount, 0);
    });
  },
);

contract(
  "close(false) closes at once: onClose() once, without an error, on both ends",
  async (transport) => {
    await withPair(transport, async ({ client, clientRec, serverConn, serverRec }) => {
      client.write(encode("x"));
      client.close(false);
      client.close(false);
      client.close();
      assert.equal(client.write(encode("y")), false, "write after close is ignored");
      assert.equal(clientRec.closes, 0, "onClose is not called inside close()");
      assert.equal(await clientRec.closed, undefined);
      assert.equal(client.bufferedAmount, 0);
      await serverRec.closed;
      assert.equal(serverConn.write(encode("z")), false);
    });
  },
);

contract(
  "close(false) during a pending write gives onClose() once and drops the unsent bytes",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      // No handler: the server reads nothing, so the write stays pending.
      const stalled = await server.accepted();
      writeUntilRefused(client);
      assert.ok(client.bufferedAmount >= WRITE_HIGH_WATER);
      client.close(false);
      assert.equal(client.bufferedAmount, 0, "what was unsent is dropped");
      assert.equal(await clientRec.closed, undefined, "our own destroy is not an error");
      sockets.handle(stalled, new Recorder(false, checkPattern));
    });
  },
);

contract(
  "a FIN from the peer gives onClose() once, without an error, after the bytes before it",
  async (transport) => {
    await withPair(transport, async ({ client, serverConn, clientRec, serverRec }) => {
      serverConn.write(encode("bye"));
      serverConn.close();
      assert.equal(await clientRec.closed, undefined);
      assert.equal(clientRec.text(), "bye");
      assert.equal(await serverRec.closed, undefined);
      // Closing an already closed connection must not report again.
      client.close();
      client.close(false);
      assert.equal(clientRec.closes, 1);
    });
  },
);

contract(
  "a reset from the peer gives onClose(NetworkError) once, with code ECONNRESET",
  async (transport) => {
    const peer = await resettingListener();
    try {
      const client = await transport.connect({ host: HOST, port: peer.port });
      const rec = new Recorder();
      client.setHandler(rec);
      client.write(encode("reset me"));
      const err = await within(rec.closed, 10_000, "the reset");
      assert.ok(err instanceof NetworkError, `expected a NetworkError, got ${String(err)}`);
      assert.ok(err instanceof CellnetError);
      assert.equal(err.code, "ECONNRESET");
      assert.equal(err.message, "connection reset by peer (ECONNRESET)");
      assert.ok(err.cause instanceof Error, "the runtime's error is the cause");
      assert.equal(rec.closes, 1);
      client.close(false);
      assert.equal(rec.closes, 1);
    } finally {
      await peer.close();
    }
  },
);

contract(
  "a graceful close gives up on a peer that never ends, after the linger, without an error",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      // This end never sets a handler, so it never reads the FIN or closes.
      const silent = await server.accepted();
      client.write(encode("hello?"));
      client.close();
      assert.equal(await clientRec.closed, undefined, "linger expiry is not an error");
      const silentRec = sockets.handle(silent);
      await silentRec.closed;
      assert.equal(silentRec.text(), "hello?");
    });
  },
);

contract(
  "a graceful close to a peer that stops reading ends with a TimeoutError",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      const stalled = await server.accepted();
      client.write(pattern(0, 16 * 1024 * 1024));
      client.close();
      const err = await clientRec.closed;
      assert.ok(err instanceof TimeoutError, `expected a TimeoutError, got ${String(err)}`);
      assert.equal(client.bufferedAmount, 0, "what was left unsent is dropped");
      sockets.handle(stalled, new Recorder(false, checkPattern));
    });
  },
);

contract(
  `write() returns false exactly from ${WRITE_HIGH_WATER} buffered bytes; onDrain follows once, at 0`,
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      // The server sets no handler yet, so it reads nothing: the reader is paused.
      const serverConn = await server.accepted();
      let total = writeUntilRefused(client);
      const refusedAt = client.bufferedAmount;
      assert.ok(
        refusedAt >= WRITE_HIGH_WATER && refusedAt < WRITE_HIGH_WATER + 4096,
        `refused at ${refusedAt}`,
      );

      // Backpressured, the transport still queues, and counts every byte.
      for (const size of [1, 1000, 64 * 1024]) {
        const before = client.bufferedAmount;
        assert.equal(client.write(pattern(total, size)), false);
        total += size;
        assert.equal(
          client.bufferedAmount,
          before + size,
          "bufferedAmount grows by what write() took",
        );
      }
      assert.equal(clientRec.drains, 0, "no onDrain while the reader is paused");

      const drained = clientRec.drain();
      const serverRec = sockets.handle(serverConn, new Recorder(false, checkPattern));
      await drained;
      assert.deepEqual(clientRec.bufferedAtDrain, [0], "onDrain once, with nothing left buffered");
      await serverRec.bytes(total);
      assert.equal(serverRec.received, total);
      assert.equal(client.write(pattern(total, 4)), true, "writes are accepted again");
      await serverRec.bytes(total + 4);
      assert.equal(clientRec.drains, 1, "one onDrain per episode of false returns");
    });
  },
);

contract(
  "an onDrain owed when the buffer empties before setHandler is delivered after it",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const serverConn = await server.accepted();
      // No handler on either end yet: fill until refused.
      const total = writeUntilRefused(client);
      const serverRec = sockets.handle(serverConn, new Recorder(false, checkPattern));
      await serverRec.bytes(total);
      // Whether the drain came before this or comes after, it is delivered once.
      const clientRec = sockets.handle(client);
      await clientRec.drain(true);
      assert.deepEqual(clientRec.bufferedAtDrain, [0]);
    });
  },
);

contract(
  "a handler that throws in onData closes its connection with that error",
  async (transport) => {
    await withServer(transport, async ({ sockets, server }) => {
      const client = await transport.connect({ host: HOST, port: server.port });
      const clientRec = sockets.handle(client);
      const boom = new Error("boom");
      const throwing = sockets.handle(
        await server.accepted(),
        new Recorder(true, () => {
          throw boom;
        }),
      );
      client.write(encode("trigger"));
      assert.equal(await throwing.closed, boom, "the first error wins over the close it caused");
      await clientRec.closed;
    });
  },
);

contract(
  "listener.close() stops accepting but keeps accepted connections open",
  async (transport) => {
    await withPair(transport, async ({ server, client, serverConn, clientRec, serverRec }) => {
      await server.listener.close();
      await assert.rejects(transport.connect({ host: HOST, port: server.port }), ConnectError);
      client.write(encode("still"));
      await serverRec.bytes(5);
      serverConn.write(encode("open"));
      await clientRec.bytes(4);
      assert.equal(serverRec.text(), "still");
      assert.equal(clientRec.text(), "open");
    });
  },
);

contract(
  "listen on a port in use fails with AddressInUseError, code EADDRINUSE",
  async (transport) => {
    await withServer(transport, async ({ server }) => {
      const port = server.port;
      await assert.rejects(
        transport.listen({ host: HOST, port, onConnection: (conn) => conn.close(false) }),
        (err: unknown) => {
          assert.ok(
            err instanceof AddressInUseError,
            `expected an AddressInUseError, got ${String(err)}`,
          );
          assert.ok(err instanceof ListenError && err instanceof CellnetError);
          assert.equal(err.code, "EADDRINUSE");
          assert.equal(
            err.message,
            `listen on ${HOST}:${port} failed: address already in use (EADDRINUSE)`,
          );
          assert.ok(err.cause instanceof Error, "the runtime's error is the cause");
          return true;
        },
      );
    });
  },
);

contract(
  "connect to a port nobody listens on fails with ConnectError, code ECONNREFUSED",
  async (transport) => {
    const listener = await transport.listen({
      host: HOST,
      port: 0,
      onConnection: (conn) => conn.close(false),
    });
    const port = listener.address.port;
    await listener.close();
    await assert.rejects(
      transport.connect({ host: HOST, port, timeoutMs: 5000 }),
      (err: unknown) => {
        assert.ok(err instanceof ConnectError, `expected a ConnectError, got ${String(err)}`);
        assert.equal(err.code, "ECONNREFUSED");
        assert.equal(
          err.message,
          `connect to ${HOST}:${port} failed: connection refused (ECONNREFUSED)`,
        );
        assert.ok(err.cause instanceof Error, "the runtime's error is the cause");
        return true;
      },
    );
  },
);

contract(
  "connect to a listener that never accepts fails with TimeoutError after timeoutMs",
  async (transport) => {
    const deaf = await deafListener();
    if (!deaf) return; // No `node` on PATH to run the deaf listener.
    const fillers: Connection[] = [];
    try {
      // Fill the accept queue (backlog 1 holds two); the next dial hangs.
      let failure: unknown;
      for (let i = 0; i < 8 && failure === undefined; i++) {
        try {
          fillers.push(await transport.connect({ host: HOST, port: deaf.port, timeoutMs: 300 }));
        } catch (err) {
          failure = err;
        }
      }
      assert.ok(failure instanceof TimeoutError, `expected a TimeoutError, got ${String(failure)}`);
      assert.equal(failure.message, `connect to ${HOST}:${deaf.port} timed out after 300 ms`);
    } finally {
      // Killed first, the child's kernel resets the queued connections.
      await deaf.kill();
      const closed = fillers.map((conn) => {
        const rec = new Recorder();
        conn.setHandler(rec);
        conn.close(false);
        return rec.closed;
      });
      await within(Promise.all(closed), 10_000, "the fillers to close");
    }
  },
);

contract(
  "a chat server closes a reader that never reads as SlowConsumer, and serves a healthy one every line",
  async (transport) => {
    // The scenario of scripts/slow_reader.ts (issue 7.6), in small.
    const LINES = 20_000;
    const WINDOW = 1000;
    const HIGH = 4 * 1024 * 1024;
    const queue = new EventQueue().startLoop();
    const acceptor = new tcp.Acceptor({
      address: `${HOST}:0`,
      queue,
      transport,
      logger: testLogger,
    });
    const sessions = new Map<number, Session>();
    let stuckClosed: SessionClosed | undefined;
    let stuckPort = -1;
    let overHigh = 0;
    let wake: (() => void) | undefined;
    const dispatcher = new MessageDispatcher()
      .on(SessionAccepted, (_msg, ev) => {
        sessions.set(portOf(ev.session.remoteAddress), ev.session);
        wake?.();
      })
      .on(SessionClosed, (msg, ev) => {
        if (portOf(ev.session.remoteAddress) === stuckPort) stuckClosed = msg;
      })
      .on(ChatREQ, (msg, ev) => {
        acceptor.broadcast(new ChatACK({ Content: msg.Content, Id: BigInt(ev.session.id) }));
        const stuck = sessions.get(stuckPort);
        if (stuck !== undefined && stuck.bufferedAmount > HIGH) overHigh++;
      });
    bindProcessorHandler(acceptor, "tcp.ltv", dispatcher.callback);
    await acceptor.start();
    const address = `${HOST}:${acceptor.port}`;
    // Connected, but without a handler it reads nothing: the kernel buffers fill.
    const stuck = await transport.connect({ host: HOST, port: acceptor.port });
    stuckPort = stuck.localAddress.port;

    let healthy = 0;
    let echoed = 0;
    const peer = (onAck: () => void): tcp.Connector => {
      const c = new tcp.Connector({ address, transport, logger: testLogger });
      bindProcessorHandler(c, "tcp.ltv", (ev) => {
        if (ev.message instanceof ChatACK) onAck();
        wake?.();
      });
      return c;
    };
    const reader = peer(() => healthy++);
    const sender = peer(() => echoed++);
    const until = (what: string, cond: () => boolean): Promise<void> =>
      cond()
        ? Promise.resolve()
        : within(new Promise<void>((resolve) => (wake = () => cond() && resolve())), 10_000, what);
    try {
      await reader.start();
      await sender.start();
      await until("three sessions", () => sessions.size === 3 && sender.session.isOpen);
      const content = "x".repeat(1000);
      for (let sent = 0; sent < LINES;) {
        for (let k = 0; k < WINDOW; k++) sender.session.send(new ChatREQ({ Content: content }));
        sent += WINDOW;
        // Each window is delivered before the next, so only the stuck session backs up.
        await until(`line ${sent}`, () => healthy >= sent && echoed >= sent);
      }
      assert.equal(healthy, LINES, "the healthy client got every line");
      const closed = stuckClosed as SessionClosed | undefined;
      assert.equal(
        closed?.reason,
        CloseReason.SlowConsumer,
        `the stuck session: ${String(closed)}`,
      );
      assert.ok(closed?.error instanceof SlowConsumerError);
      assert.equal(overHigh, 0, "the stuck session never held more than sendQueueHighWater");
      assert.equal(sessions.get(stuckPort)?.bufferedAmount, 0, "a closed session holds nothing");
      assert.equal(reader.session.isOpen && sender.session.isOpen, true);
    } finally {
      const rec = new Recorder();
      stuck.setHandler(rec);
      stuck.close(false);
      await rec.closed;
      await reader.stop();
      await sender.stop();
      await acceptor.stop();
      queue.stopLoop();
    }
  },
);
