// Helpers shared by the reliability tests, the fuzz test and the fuzz/load
// scripts: a bulk message, a client that never reads, and a tiny seeded PRNG.
import { spawn } from "node:child_process";
import * as net from "node:net";
import { defineMessage, type MessageOf, t } from "../mod.ts";
import { within } from "./_within.ts";

/** A numbered message with a byte payload, for pushing many bytes cheaply. */
export const Bulk = defineMessage("test.Bulk", { Seq: t.int32, Data: t.bytes });
export type Bulk = MessageOf<typeof Bulk>;

/**
 * A loopback client that never reads (its socket is paused from the start):
 * the kernel buffers fill and then the server's own buffers grow.
 * `node:net` works on Node, Deno and Bun alike.
 */
export class StuckClient {
  readonly socket: net.Socket;
  /** Resolves when the socket is closed (by either side). */
  readonly closed: Promise<void>;
  /** Bytes read after {@link drain} started reading. */
  received = 0;
  #ended: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    this.#ended = new Promise((resolve) => {
      socket.once("end", () => resolve());
      socket.once("close", () => resolve());
    });
  }

  /** Dial 127.0.0.1:port and pause the socket before anything is read. */
  static async connect(port: number): Promise<StuckClient> {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.pause();
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("error", reject);
      }),
      5000,
      "stuck client connect",
    );
    return new StuckClient(socket);
  }

  /** The client's local port: the server sees it as the session's remote port. */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Start reading (and counting) everything until the server's end. Resolves with the byte count. */
  async drain(ms = 10_000): Promise<number> {
    this.socket.on("data", (d: Uint8Array) => {
      this.received += d.length;
    });
    this.socket.resume();
    await within(this.#ended, ms, "the server to end the stuck client's connection");
    return this.received;
  }

  /** Destroy the socket and wait for its close. */
  async close(): Promise<void> {
    this.socket.destroy();
    await within(this.closed, 5000, "stuck client close");
  }
}

/** The port part of a session's `host:port` remote address. */
export function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

/** mulberry32: a small seeded PRNG, so a failing fuzz run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Await `n` events signalled through the returned `tick` function. */
export function counter(
  n: number,
  what: string,
  ms = 10_000,
): { tick: () => void; done: Promise<void> } {
  let left = n;
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  if (left <= 0) resolve();
  return {
    tick: () => {
      if (--left === 0) resolve();
    },
    done: within(p, ms, what),
  };
}

/**
 * A listener whose process never accepts: a child Node process listens with
 * backlog 1 and then blocks its only thread, so once the kernel's accept
 * queue is full, further SYNs are dropped and a dial hangs: the only
 * deterministic loopback way to make a connect time out.
 */
export async function deafListener(): Promise<
  { port: number; kill: () => Promise<void> } | undefined
> {
  const code = `const s = require("node:net").createServer();
s.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {
  process.stdout.write(s.address().port + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;
  const child = spawn("node", ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await within(
    new Promise<number>((resolve, reject) => {
      let out = "";
      child.once("error", reject);
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(Number(out.trim()));
      });
    }),
    10_000,
    "the deaf listener's port",
  ).catch(() => undefined);
  const kill = async () => {
    child.kill("SIGKILL");
    await within(exited, 5000, "the deaf listener to exit");
  };
  if (port === undefined) {
    await kill();
    return undefined;
  }
  return { port, kill };
}
