// Shared test helpers: event collectors that await instead of sleeping, and
// a raw loopback client for sending arbitrary bytes.
import "../mod.ts";
import {
  bindProcessorHandler,
  type Connection,
  type Event,
  loadTransport,
  type Logger,
  setDefaultLogger,
  tcp,
} from "../mod.ts";

/** Options every networked test passes to node:test. */
export const T = { timeout: 15_000 };

/** A logger that records lines, so tests can assert what was logged. */
export class MemoryLogger implements Logger {
  lines: string[] = [];
  debug(m: string): void {
    this.lines.push(`DEBUG ${m}`);
  }
  info(m: string): void {
    this.lines.push(`INFO ${m}`);
  }
  warn(m: string, e?: unknown): void {
    this.lines.push(`WARN ${m}${e ? ` ${(e as Error).message ?? e}` : ""}`);
  }
  error(m: string, e?: unknown): void {
    this.lines.push(`ERROR ${m}${e ? ` ${(e as Error).message ?? e}` : ""}`);
  }
}

import { within } from "./_within.ts";
export { within };

// Tests keep the console quiet unless CELLNET_TEST_LOG is set.
const quiet = new MemoryLogger();
setDefaultLogger(quiet);

/** Records events from a handler and lets a test await the next one that matches. */
export class EventLog {
  readonly events: Event[] = [];
  #cursor = 0;
  #wake: (() => void) | undefined;
  readonly handler = (ev: Event): void => {
    this.events.push(ev);
    this.#wake?.();
  };

  /** The next not yet consumed event matching `pred` (events before it are skipped). */
  async next(pred: (ev: Event) => boolean, what = "an event", ms = 5000): Promise<Event> {
    const find = (): Event | undefined => {
      for (let i = this.#cursor; i < this.events.length; i++) {
        if (pred(this.events[i])) {
          this.#cursor = i + 1;
          return this.events[i];
        }
      }
      return undefined;
    };
    const found = find();
    if (found) return found;
    return within(
      new Promise<Event>((resolve) => {
        this.#wake = () => {
          const f = find();
          if (f) {
            this.#wake = undefined;
            resolve(f);
          }
        };
      }),
      ms,
      what,
    );
  }

  /** The next event whose message is an instance of `type`. */
  nextOf<T>(type: abstract new (...a: never[]) => T, ms = 5000): Promise<Event<T>> {
    return this.next((ev) => ev.message instanceof type, type.name, ms) as Promise<Event<T>>;
  }
}

/** A started `tcp.SyncConnector` to 127.0.0.1:`port`, its events recorded in a fresh EventLog. */
export async function syncClient(
  port: number,
): Promise<{ client: tcp.SyncConnector; log: EventLog }> {
  const client = new tcp.SyncConnector({ address: `127.0.0.1:${port}` });
  const log = new EventLog();
  bindProcessorHandler(client, "tcp.ltv", log.handler);
  await client.start();
  return { client, log };
}

/** A plain socket to a port, for writing arbitrary bytes and reading raw replies. */
export class RawClient {
  readonly conn: Connection;
  received = new Uint8Array(0);
  closed: Promise<Error | undefined>;
  #wake: (() => void) | undefined;

  private constructor(conn: Connection) {
    this.conn = conn;
    let done!: (e: Error | undefined) => void;
    this.closed = new Promise((r) => (done = r));
    conn.setHandler({
      onData: (chunk) => {
        const next = new Uint8Array(this.received.length + chunk.length);
        next.set(this.received);
        next.set(chunk, this.received.length);
        this.received = next;
        this.#wake?.();
      },
      onDrain: () => {},
      onClose: (e) => {
        done(e);
        this.#wake?.();
      },
    });
  }

  /** Dial 127.0.0.1:port. */
  static async connect(port: number): Promise<RawClient> {
    const transport = await loadTransport();
    return new RawClient(await transport.connect({ host: "127.0.0.1", port }));
  }

  /** Write bytes (hex string or array). */
  write(bytes: Uint8Array | string): void {
    this.conn.write(typeof bytes === "string" ? hex(bytes) : bytes);
  }

  /** Wait until at least `n` bytes have arrived. */
  async waitBytes(n: number, ms = 5000): Promise<Uint8Array> {
    if (this.received.length >= n) return this.received;
    await within(
      new Promise<void>((resolve) => {
        this.#wake = () => {
          if (this.received.length >= n) resolve();
        };
      }),
      ms,
      `${n} bytes`,
    );
    return this.received;
  }

  /** Close the socket and wait for it to be closed. */
  async close(): Promise<void> {
    this.conn.close(false);
    await within(this.closed, 5000, "raw client close");
  }
}

/** Hex string → bytes. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Bytes → hex string. */
export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** An LTV frame: uint16 LE Length (= 2 + body) | uint16 LE id | body. */
export function frame(id: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  const len = 2 + body.length;
  out[0] = len & 0xff;
  out[1] = len >> 8;
  out[2] = id & 0xff;
  out[3] = id >> 8;
  out.set(body, 4);
  return out;
}

/** Concatenate byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export { quiet as testLogger };
