// WebSocket test helpers: an in-memory byte Connection, a client-frame
// builder written from RFC 6455 §5.2 (independent of src/), and a decoder
// of the frames a server writes.
import type { Connection, ConnectionHandler, NetAddress } from "../src/transport/transport.ts";
import { concat, hex, toHex } from "./_helpers.ts";

export { concat, hex, toHex };

/** The mask key the gorillaws vectors use. */
export const MASK = hex("37fa213d");

/** A byte Connection in memory: records writes, feeds chunks, closes on request. */
export class MemoryConnection implements Connection {
  readonly localAddress: NetAddress = { host: "127.0.0.1", port: 1 };
  readonly remoteAddress: NetAddress = { host: "127.0.0.1", port: 2 };
  readonly messageOriented = false;
  bufferedAmount = 0;
  handler: ConnectionHandler | undefined;
  readonly writes: Uint8Array[] = [];
  /** What write() returns (set false to simulate backpressure). */
  writeResult = true;
  /** "open", then "ended" (close(true)) or "destroyed" (close(false)). */
  state: "open" | "ended" | "destroyed" = "open";
  readonly closed: Promise<void>;
  #closed!: () => void;
  #closeSent = false;

  constructor() {
    this.closed = new Promise((r) => (this.#closed = r));
  }

  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  write(data: Uint8Array): boolean {
    if (this.state !== "open") return false;
    this.writes.push(data.slice());
    return this.writeResult;
  }

  setNoDelay(): void {}

  close(graceful = true): void {
    if (this.state !== "open") {
      if (!graceful) this.state = "destroyed";
      return;
    }
    this.state = graceful ? "ended" : "destroyed";
    // As a socket would: onClose follows, on a later turn.
    queueMicrotask(() => this.#deliverClose(undefined));
  }

  /** The peer ends the connection (FIN, or a reset with `error`). */
  end(error?: Error): void {
    if (this.state === "open") this.state = "ended";
    this.#deliverClose(error);
  }

  /** Deliver bytes from the peer (a fresh copy: the parser unmasks in place). */
  feed(bytes: Uint8Array | string): void {
    const b = typeof bytes === "string" ? hex(bytes) : bytes.slice();
    this.handler!.onData(b);
  }

  /** Everything written so far, as one hex string. */
  get outHex(): string {
    return toHex(concat(...this.writes));
  }

  #deliverClose(error: Error | undefined): void {
    if (this.#closeSent) return;
    this.#closeSent = true;
    this.handler?.onClose(error);
    this.#closed();
  }
}

/** Options of {@link clientFrame}. */
export interface FrameOptions {
  fin?: boolean;
  /** RSV bits as 0..7 (RSV1 = 4). */
  rsv?: number;
  /** Mask key; null sends the frame unmasked. */
  mask?: Uint8Array | null;
  /** Force the length encoding (non-minimal encodings are legal). */
  length?: "7" | "16" | "64";
  /** Override the 64-bit length field's value (for huge or high-bit lengths). */
  length64?: bigint;
}

/** A client frame, built straight from RFC 6455 §5.2. */
export function clientFrame(
  opcode: number,
  payload: Uint8Array | string = "",
  o: FrameOptions = {},
): Uint8Array {
  const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const mask = o.mask === undefined ? MASK : o.mask;
  const n = data.length;
  const enc = o.length ??
    (o.length64 !== undefined ? "64" : n < 126 ? "7" : n < 65536 ? "16" : "64");
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode];
  const m = mask === null ? 0 : 0x80;
  if (enc === "7") head.push(m | n);
  else if (enc === "16") head.push(m | 126, n >> 8, n & 0xff);
  else {
    head.push(m | 127);
    const big = o.length64 ?? BigInt(n);
    for (let i = 7; i >= 0; i--) head.push(Number((big >> BigInt(i * 8)) & 0xffn));
  }
  if (mask !== null) head.push(...mask);
  const body = new Uint8Array(n);
  for (let i = 0; i < n; i++) body[i] = mask === null ? data[i] : data[i] ^ mask[i & 3];
  return concat(new Uint8Array(head), body);
}

/** A close frame payload: code (big-endian) + reason. */
export function closeBody(code: number, reason: string | Uint8Array = ""): Uint8Array {
  const r = typeof reason === "string" ? new TextEncoder().encode(reason) : reason;
  return concat(new Uint8Array([code >> 8, code & 0xff]), r);
}

/** One decoded frame. */
export interface DecodedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Uint8Array;
}

/** Decode a byte stream of frames (unmasking masked ones); throws on a truncated tail. */
export function decodeFrames(bytes: Uint8Array): DecodedFrame[] {
  const out: DecodedFrame[] = [];
  let p = 0;
  while (p < bytes.length) {
    const b0 = bytes[p];
    const b1 = bytes[p + 1];
    let n = b1 & 0x7f;
    p += 2;
    if (n === 126) {
      n = (bytes[p] << 8) | bytes[p + 1];
      p += 2;
    } else if (n === 127) {
      n = Number(new DataView(bytes.buffer, bytes.byteOffset + p, 8).getBigUint64(0));
      p += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const key = masked ? bytes.slice(p, p + 4) : undefined;
    if (masked) p += 4;
    if (p + n > bytes.length) throw new Error(`truncated frame at ${p}`);
    const payload = bytes.slice(p, p + n);
    if (key) { for (let i = 0; i < n; i++) payload[i] ^= key[i & 3]; }
    p += n;
    out.push({ fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload });
  }
  return out;
}

/** The code of a close frame payload, or 1005 for an empty one. */
export function closeCodeOf(payload: Uint8Array): number {
  return payload.length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
}

/** Records a handler's calls and lets a test await the close. */
export class WsRecorder implements ConnectionHandler {
  readonly messages: Uint8Array[] = [];
  readonly texts: boolean[] = [];
  closes = 0;
  error: Error | undefined;
  readonly closed: Promise<Error | undefined>;
  #closed!: (e: Error | undefined) => void;
  #waiters: { n: number; resolve: () => void }[] = [];
  onMessage?: (m: Uint8Array) => void;
  isText?: () => boolean;

  constructor() {
    this.closed = new Promise((r) => (this.#closed = r));
  }

  onData(chunk: Uint8Array): void {
    this.messages.push(chunk.slice());
    if (this.isText) this.texts.push(this.isText());
    this.onMessage?.(chunk);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.messages.length < w.n) return true;
      w.resolve();
      return false;
    });
  }

  onDrain(): void {}

  onClose(error?: Error): void {
    this.closes++;
    this.error = error;
    this.#closed(error);
  }

  /** Resolves once `n` messages have arrived. */
  count(n: number): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }
}

/** Let queued microtasks run (setHandler delivers on one). */
export async function microtasks(): Promise<void> {
  for (let i = 0; i < 4; i++) await Promise.resolve();
}
