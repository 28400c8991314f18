// Helpers for the transport tests: a handler that records what it is told,
// a listener whose connections can be awaited, byte patterns that show any
// loss or reorder, and peers the adapters cannot play themselves (one that
// resets).
import assert from "node:assert/strict";
import * as net from "node:net";
import type {
  Connection,
  ConnectionHandler,
  Listener,
  Transport,
} from "../src/transport/transport.ts";
import { within } from "./_within.ts";

export const HOST = "127.0.0.1";

/** A handler that records what it is told and lets a test await it. */
export class Recorder implements ConnectionHandler {
  readonly chunks: Uint8Array[] = [];
  received = 0;
  drains = 0;
  closes = 0;
  /** Calls that came after onClose: must stay 0. */
  lateCalls = 0;
  closeError: Error | undefined;
  /** bufferedAmount of `conn` at each onDrain, when a connection was given. */
  readonly bufferedAtDrain: number[] = [];
  readonly closed: Promise<Error | undefined>;
  readonly #keep: boolean;
  readonly #check: ((chunk: Uint8Array, offset: number) => void) | undefined;
  #resolveClosed!: (err: Error | undefined) => void;
  #byteWaiters: { n: number; resolve: () => void }[] = [];
  #drainWaiters: (() => void)[] = [];
  conn: Connection | undefined;

  /** `keep`: store copies of the chunks (off for bulk transfers checked on the fly by `check`). */
  constructor(keep = true, check?: (chunk: Uint8Array, offset: number) => void) {
    this.#keep = keep;
    this.#check = check;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  onData(chunk: Uint8Array): void {
    if (this.closes > 0) this.lateCalls++;
    this.#check?.(chunk, this.received);
    // The chunk is only valid during the call.
    if (this.#keep) this.chunks.push(chunk.slice());
    this.received += chunk.length;
    this.#byteWaiters = this.#byteWaiters.filter((w) => {
      if (this.received < w.n) return true;
      w.resolve();
      return false;
    });
  }

  onDrain(): void {
    if (this.closes > 0) this.lateCalls++;
    this.drains++;
    if (this.conn) this.bufferedAtDrain.push(this.conn.bufferedAmount);
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  onClose(error?: Error): void {
    if (this.closes > 0) this.lateCalls++;
    this.closes++;
    this.closeError = error;
    this.#resolveClosed(error);
  }

  /** Resolves once `n` bytes in total have arrived. */
  bytes(n: number): Promise<void> {
    if (this.received >= n) return Promise.resolve();
    const arrived = new Promise<void>((resolve) => this.#byteWaiters.push({ n, resolve }));
    return within(arrived, 10_000, `${n} bytes`);
  }

  /** Resolves at the next onDrain (at once if one came already and `already` is set). */
  drain(already = false): Promise<void> {
    if (already && this.drains > 0) return Promise.resolve();
    return within(new Promise((resolve) => this.#drainWaiters.push(resolve)), 10_000, "onDrain");
  }

  text(): string {
    return new TextDecoder().decode(concat(this.chunks));
  }
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A byte of a deterministic pattern, so any loss, duplication or reorder shows. */
const patternByte = (i: number): number => (i * 31 + (i >>> 11)) & 0xff;

export function pattern(offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = patternByte(offset + i);
  return out;
}

/** Asserts that `chunk` is the pattern at `offset` (without building the expected bytes). */
export function checkPattern(chunk: Uint8Array, offset: number): void {
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] !== patternByte(offset + i)) {
      assert.fail(`byte ${offset + i} is ${chunk[i]}, expected ${patternByte(offset + i)}`);
    }
  }
}

/** A listener whose accepted connections can be awaited one by one. */
export class Server {
  readonly #queue: Connection[] = [];
  readonly #waiters: ((conn: Connection) => void)[] = [];
  listener!: Listener;

  static async start(transport: Transport): Promise<Server> {
    const server = new Server();
    server.listener = await transport.listen({
      host: HOST,
      port: 0,
      onConnection: (conn) => {
        const waiter = server.#waiters.shift();
        if (waiter !== undefined) waiter(conn);
        else server.#queue.push(conn);
      },
    });
    return server;
  }

  get port(): number {
    return this.listener.address.port;
  }

  /** The next accepted connection, without a handler yet. */
  accepted(): Promise<Connection> {
    const conn = this.#queue.shift();
    if (conn !== undefined) return Promise.resolve(conn);
    const next = new Promise<Connection>((resolve) => this.#waiters.push(resolve));
    return within(next, 10_000, "an accepted connection");
  }
}

/** Connections a test opened, with their recorders, to be closed at the end. */
export class Sockets {
  readonly #open: { conn: Connection; rec: Recorder }[] = [];
  readonly #listeners: Listener[] = [];

  listener(listener: Listener): Listener {
    this.#listeners.push(listener);
    return listener;
  }

  /** Sets `rec` (a fresh Recorder by default) as the handler and tracks both. */
  handle(conn: Connection, rec = new Recorder()): Recorder {
    rec.conn = conn;
    conn.setHandler(rec);
    this.#open.push({ conn, rec });
    return rec;
  }

  /** Close everything; every connection must report onClose exactly once, and nothing after it. */
  async closeAll(): Promise<void> {
    for (const { conn } of this.#open) conn.close(false);
    await within(Promise.all(this.#open.map(({ rec }) => rec.closed)), 10_000, "every onClose");
    await Promise.all(this.#listeners.map((l) => l.close()));
    // A turn for late calls to show.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const { rec } of this.#open) {
      assert.equal(rec.closes, 1, "onClose exactly once");
      assert.equal(rec.lateCalls, 0, "nothing after onClose");
    }
  }
}

/** A started server on `transport`; every socket and listener is closed afterwards. */
export async function withServer(
  transport: Transport,
  body: (ctx: { sockets: Sockets; server: Server }) => Promise<void>,
): Promise<void> {
  const sockets = new Sockets();
  try {
    const server = await Server.start(transport);
    sockets.listener(server.listener);
    await body({ sockets, server });
  } finally {
    await sockets.closeAll();
  }
}

/** Both ends of one connection on `transport`, with recorders set. */
export interface Pair {
  sockets: Sockets;
  server: Server;
  client: Connection;
  serverConn: Connection;
  clientRec: Recorder;
  serverRec: Recorder;
}

/** Listen, connect, and hand both ends to `body` with recorders set. */
export async function withPair(
  transport: Transport,
  body: (pair: Pair) => Promise<void>,
): Promise<void> {
  await withServer(transport, async ({ sockets, server }) => {
    const client = await transport.connect({ host: HOST, port: server.port, timeoutMs: 5000 });
    const clientRec = sockets.handle(client);
    const serverConn = await server.accepted();
    const serverRec = sockets.handle(serverConn);
    await body({ sockets, server, client, serverConn, clientRec, serverRec });
  });
}

/**
 * A node:net listener that answers each connection's first byte with a TCP
 * reset (`resetAndDestroy`, on Node, Deno and Bun alike): the adapters
 * cannot all send one themselves (Deno's close sends FIN even over unread
 * bytes).
 */
export async function resettingListener(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => socket.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen({ host: HOST, port: 0 }, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
