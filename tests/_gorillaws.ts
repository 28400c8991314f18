// Helpers of the gorillaws peer tests: an echo acceptor with its events
// recorded, a `ws` package client whose messages and close are promises,
// gorillaws.ltv payloads built by hand, and raw HTTP over a TCP socket.
import { type RawData, WebSocket as WsClient } from "ws";
import {
  bindProcessorHandler,
  defineMessage,
  encodeMessage,
  gorillaws,
  loadTransport,
  type MessageOf,
  RawPacket,
  t,
  type WSAcceptorOptions,
} from "../mod.ts";
import { TestEchoACK } from "../examples/echo/proto.ts";
import { EventLog, within } from "./_helpers.ts";

export { TestEchoACK };

/** Two byte fields, so a body can pass 65535 bytes (each field's count is 16-bit). */
export const WsBig = defineMessage("test.WsBig", { A: t.bytes, B: t.bytes });
export type WsBig = MessageOf<typeof WsBig>;

/** A WsBig whose body is `2 + a + 2 + b` bytes of a recognisable pattern. */
export function bigMessage(a: number, b: number): WsBig {
  const fill = (n: number, k: number) => new Uint8Array(n).map((_, i) => (i * k) & 0xff);
  return new WsBig({ A: fill(a, 7), B: fill(b, 13) });
}

/** An acceptor on 127.0.0.1:0`path` that echoes TestEchoACK and WsBig; its events in `log`. */
export async function echoAcceptor(
  path = "/echo",
  options: Omit<WSAcceptorOptions, "address"> = {},
): Promise<{ acceptor: gorillaws.Acceptor; log: EventLog; url: string }> {
  const acceptor = new gorillaws.Acceptor({ address: `http://127.0.0.1:0${path}`, ...options });
  const log = new EventLog();
  bindProcessorHandler(acceptor, "gorillaws.ltv", (ev) => {
    log.handler(ev);
    if (ev.message instanceof TestEchoACK || ev.message instanceof WsBig) ev.reply(ev.message);
  });
  await acceptor.start();
  return { acceptor, log, url: `ws://127.0.0.1:${acceptor.port}${path}` };
}

/** The gorillaws.ltv payload of `message`: MsgID (LE) + body. */
export function payloadOf(message: object): Uint8Array {
  if (message instanceof RawPacket) return wsPayload(message.msgId, message.msgData);
  const { id, body } = encodeMessage(message);
  return wsPayload(id, body);
}

/** MsgID (LE) + body. */
export function wsPayload(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + body.length);
  out[0] = id & 0xff;
  out[1] = id >> 8;
  out.set(body, 2);
  return out;
}

const bytesOf = (d: RawData | ArrayBuffer): Uint8Array => {
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  if (Array.isArray(d)) return new Uint8Array(Buffer.concat(d));
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
};

/** A `ws` package client, opened; its messages and its close as promises. */
export class WsPeer {
  readonly socket: WsClient;
  readonly messages: Uint8Array[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  private constructor(socket: WsClient) {
    this.socket = socket;
    socket.on("message", (d: RawData) => {
      this.messages.push(bytesOf(d));
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.on(
        "close",
        (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }),
      )
    );
  }

  /** Open a client on `url` (rejects if the handshake fails). */
  static async open(url: string, headers?: Record<string, string>): Promise<WsPeer> {
    const socket = new WsClient(url, { headers });
    const peer = new WsPeer(socket);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("error", reject);
      }),
      5000,
      `ws open ${url}`,
    );
    return peer;
  }

  /** Resolves once `n` messages have arrived. */
  count(n: number, ms = 5000): Promise<Uint8Array[]> {
    const done = () => this.messages.length >= n;
    if (done()) return Promise.resolve(this.messages);
    return within(
      new Promise<Uint8Array[]>((resolve) => {
        const check = () => (done() ? resolve(this.messages) : this.#waiters.push(check));
        this.#waiters.push(check);
      }),
      ms,
      `${n} ws messages`,
    );
  }

  /** The close code and reason the server sent, within `ms`. */
  closedWithin(ms = 5000): Promise<{ code: number; reason: string }> {
    return within(this.closed, ms, "the ws client to be closed");
  }

  /** Close (if still open) and wait for it. */
  async close(): Promise<void> {
    if (
      this.socket.readyState === WsClient.OPEN || this.socket.readyState === WsClient.CONNECTING
    ) {
      this.socket.close(1000);
    }
    await within(this.closed, 5000, "ws close").catch(() => this.socket.terminate());
  }
}

/** Write `head` on a raw socket to `port` and read the HTTP answer (until close, or a 101's blank line). */
export async function rawHttp(
  port: number,
  head: string | Uint8Array,
  ms = 5000,
): Promise<{ status: number; headers: string; body: string; closed: boolean }> {
  const transport = await loadTransport();
  const conn = await transport.connect({ host: "127.0.0.1", port });
  let received = new Uint8Array(0);
  let closed = false;
  const text = () => new TextDecoder().decode(received);
  const done = new Promise<void>((resolve) => {
    const upgraded = () => text().startsWith("HTTP/1.1 101") && text().includes("\r\n\r\n");
    conn.setHandler({
      onData: (chunk) => {
        const next = new Uint8Array(received.length + chunk.length);
        next.set(received);
        next.set(chunk, received.length);
        received = next;
        if (upgraded()) resolve();
      },
      onDrain: () => {},
      onClose: () => {
        closed = true;
        resolve();
      },
    });
  });
  conn.write(typeof head === "string" ? new TextEncoder().encode(head) : head);
  try {
    await within(done, ms, "an HTTP answer");
  } finally {
    conn.close(false);
  }
  const s = text();
  const end = s.indexOf("\r\n\r\n");
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(s)?.[1] ?? 0),
    headers: end >= 0 ? s.slice(0, end) : s,
    body: end >= 0 ? s.slice(end + 4) : "",
    closed,
  };
}

/** A client upgrade request for `path` with `extra` header lines. */
export function upgradeRequest(path: string, extra = "", version = "13"): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;
}
