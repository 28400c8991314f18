// A plain listening socket for tests that must see the exact bytes a peer
// writes and answer with exact bytes of their own (Go's frames from the vectors).
import { type Connection, type Listener, loadTransport } from "../mod.ts";
import { hex, toHex, within } from "./_helpers.ts";

/** One accepted raw connection: what it received, and a way to write bytes. */
export class RawConn {
  readonly conn: Connection;
  received = new Uint8Array(0);
  #wake: (() => void) | undefined;

  constructor(conn: Connection) {
    this.conn = conn;
    conn.setHandler({
      onData: (chunk) => {
        const next = new Uint8Array(this.received.length + chunk.length);
        next.set(this.received);
        next.set(chunk, this.received.length);
        this.received = next;
        this.#wake?.();
      },
      onDrain: () => {},
      onClose: () => this.#wake?.(),
    });
  }

  /** Wait for `n` more bytes than taken so far and return them as hex. */
  async take(n: number, ms = 5000): Promise<string> {
    if (this.received.length < n) {
      await within(
        new Promise<void>((resolve) => {
          this.#wake = () => {
            if (this.received.length >= n) resolve();
          };
        }),
        ms,
        `${n} bytes (have ${this.received.length}: ${toHex(this.received)})`,
      );
    }
    const out = this.received.subarray(0, n);
    this.received = this.received.slice(n);
    return toHex(out);
  }

  write(bytes: string | Uint8Array): void {
    this.conn.write(typeof bytes === "string" ? hex(bytes) : bytes);
  }
}

/** A raw listener on 127.0.0.1:0 whose connections are handed out in order. */
export class RawServer {
  readonly listener: Listener;
  readonly #conns: RawConn[] = [];
  #wake: (() => void) | undefined;

  private constructor(listener: Listener, take: (push: (c: Connection) => void) => void) {
    this.listener = listener;
    take((c) => {
      this.#conns.push(new RawConn(c));
      this.#wake?.();
    });
  }

  static async start(): Promise<RawServer> {
    const transport = await loadTransport();
    let push: (c: Connection) => void = () => {};
    const listener = await transport.listen({
      host: "127.0.0.1",
      port: 0,
      onConnection: (c) => push(c),
    });
    return new RawServer(listener, (p) => (push = p));
  }

  get port(): number {
    return this.listener.address.port;
  }

  /** The next accepted connection. */
  async accept(ms = 5000): Promise<RawConn> {
    if (this.#conns.length === 0) {
      await within(new Promise<void>((resolve) => (this.#wake = resolve)), ms, "a raw connection");
    }
    return this.#conns.shift()!;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
