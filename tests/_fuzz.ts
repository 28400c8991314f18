// The fuzz engine shared by tests/fuzz.test.ts (short, in the suite) and
// scripts/fuzz.ts (long runs): seeded random and mutated tcp.ltv streams from
// many raw clients against one live acceptor, each checked against an
// independent model of the framing, while a well-behaved client keeps
// round-tripping pings on the same acceptor.
import process from "node:process";
import {
  bindProcessorHandler,
  CloseReason,
  closeReasonName,
  type Connection,
  EventQueue,
  loadTransport,
  type Logger,
  messageMetaById,
  ProtocolError,
  registeredMessageMetas,
  type Session,
  SessionAccepted,
  SessionClosed,
  tcp,
} from "../mod.ts";
import { Ping, pingBody } from "./_messages.ts";
import { ChatREQ } from "../examples/chat/proto.ts";
import { prng } from "./_reliability.ts";
import { within } from "./_within.ts";

/** What to run. */
export interface FuzzOptions {
  /** Seed of the whole run; session i uses a seed derived from it. */
  readonly seed: number;
  /** Stop generating sessions once this many frames were sent. */
  readonly frames: number;
  /** Clients at once. Default 16. */
  readonly concurrency?: number;
  /** The acceptor's maxPacketSize (0: only the 16-bit limit). */
  readonly maxPacketSize: number;
  /** Deliver events through an EventQueue. */
  readonly useQueue?: boolean;
  /** Most valid frames before a session's last element. Default 64. */
  readonly maxValidFrames?: number;
  /** Called every `progressEvery` sessions with the running totals. */
  readonly onProgress?: (r: FuzzResult) => void;
  /** Default 1000. */
  readonly progressEvery?: number;
}

/** What happened. */
export interface FuzzResult {
  /** Frames (and frame-like fragments) sent by fuzz clients. */
  frames: number;
  /** Bytes sent by fuzz clients. */
  bytes: number;
  /** Fuzz sessions run. */
  sessions: number;
  /** Server-side closes of fuzz sessions by reason name. */
  closedBy: Record<string, number>;
  /** Sessions by the kind of their last element. */
  kinds: Record<string, number>;
  /** Echoes checked byte for byte. */
  echoes: number;
  /** Correct replies the well-behaved client got. */
  goodReplies: number;
  /** Every broken invariant, described; empty on success. */
  violations: string[];
  /** Wall time of the run. */
  elapsedMs: number;
}

const enc = new TextEncoder();
const PING_ID = Ping.meta.id;
const CHAT_ID = ChatREQ.meta.id;

function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Length | id | body, with Length = 2 + body (or `length` when given, to lie). */
function frameBytes(id: number, body: Uint8Array, length = 2 + body.length): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = length & 0xff;
  out[1] = (length >> 8) & 0xff;
  out[2] = id & 0xff;
  out[3] = (id >> 8) & 0xff;
  out.set(body, 4);
  return out;
}

function stringBody(text: string): Uint8Array {
  const t = enc.encode(text);
  return concat([u16(t.length), t]);
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 é中😀";

function randomText(rnd: () => number, max: number): string {
  const n = Math.floor(rnd() * max);
  let s = "";
  for (let i = 0; i < n; i++) s += [...ALPHABET][Math.floor(rnd() * [...ALPHABET].length)];
  return s;
}

/** Outcome the model predicts for a whole client stream. */
interface Prediction {
  /** ProtocolError at a frame, a cut (stream ends inside a frame), or a clean end. */
  end: "protocol" | "cut" | "clean";
  /** The bytes the server must send back: one echo per valid Ping before the end. */
  echo: Uint8Array;
  echoes: number;
}

/**
 * An independent model of tcp.ltv receiving: frames parsed from the whole
 * stream with the acceptor's rules (Length < 2 or >= maxPacketSize is fatal
 * on the header; unknown and system ids, and bodies the codec refuses, are
 * fatal once whole). Pings are echoed, so their re-encoding is expected back.
 */
function predict(stream: Uint8Array, maxPacketSize: number): Prediction {
  const echo: Uint8Array[] = [];
  let off = 0;
  const result = (end: Prediction["end"]): Prediction => ({
    end,
    echo: concat(echo),
    echoes: echo.length,
  });
  while (stream.length - off >= 2) {
    const length = stream[off] | (stream[off + 1] << 8);
    if (length < 2) return result("protocol");
    if (maxPacketSize > 0 && length >= maxPacketSize) return result("protocol");
    if (stream.length - off - 2 < length) return result("cut");
    const id = stream[off + 2] | (stream[off + 3] << 8);
    const meta = messageMetaById(id);
    if (meta === undefined || meta.system) return result("protocol");
    let msg: object;
    try {
      msg = meta.bound.decode(stream.subarray(off + 4, off + 2 + length));
    } catch {
      return result("protocol");
    }
    if (msg instanceof Ping) echo.push(frameBytes(PING_ID, pingBody(msg.Text, msg.Seq)));
    off += 2 + length;
  }
  return result(off < stream.length ? "cut" : "clean");
}

/** One generated client session. */
interface Plan {
  kind: string;
  stream: Uint8Array;
  frames: number;
  /** Offsets where the stream is split into separate writes (a macrotask apart). */
  splits: number[];
}

function generate(
  rnd: () => number,
  maxPacketSize: number,
  maxValid: number,
  systemIds: number[],
): Plan {
  const int = (n: number) => Math.floor(rnd() * n);
  const parts: Uint8Array[] = [];
  const validFrame = (): Uint8Array =>
    rnd() < 0.85
      ? frameBytes(PING_ID, pingBody(randomText(rnd, 24), int(0x100000000) | 0))
      : frameBytes(CHAT_ID, stringBody(randomText(rnd, 40)));
  const nValid = Math.floor(rnd() * rnd() * (maxValid + 1));
  for (let i = 0; i < nValid; i++) parts.push(validFrame());
  let frames = nValid;
  const cap = maxPacketSize > 0 ? maxPacketSize - 1 : 0xffff;
  const kinds = [
    "clean",
    "short-length",
    "unknown-id",
    "system-id",
    "huge-length",
    "length-past-body",
    "truncated-header",
    "codec-cut",
    "mutated",
    "random-bytes",
    "lying-length-then-frames",
  ] as const;
  const kind = kinds[int(kinds.length)];
  switch (kind) {
    case "clean":
      break;
    case "short-length":
      parts.push(rnd() < 0.5 ? u16(0) : Uint8Array.of(1, 0, int(256)));
      frames++;
      break;
    case "unknown-id": {
      let id: number;
      do id = int(0x10000); while (messageMetaById(id) !== undefined);
      parts.push(frameBytes(id, new Uint8Array(int(16)).map(() => int(256))));
      frames++;
      break;
    }
    case "system-id":
      parts.push(frameBytes(systemIds[int(systemIds.length)], new Uint8Array(int(8))));
      frames++;
      break;
    case "huge-length": {
      // At or past the limit when there is one (fatal on the header); else the largest Length, cut.
      const length = maxPacketSize > 0
        ? maxPacketSize + int(0x10000 - maxPacketSize)
        : 0xffff - int(16);
      parts.push(concat([u16(length), u16(PING_ID), new Uint8Array(int(64))]));
      frames++;
      break;
    }
    case "length-past-body": {
      const body = pingBody(randomText(rnd, 16), 1);
      const length = Math.min(cap, 2 + body.length + 1 + int(200));
      parts.push(frameBytes(PING_ID, body, length));
      frames++;
      break;
    }
    case "truncated-header":
      parts.push(Uint8Array.of(int(256)));
      frames++;
      break;
    case "codec-cut": {
      const ping = rnd() < 0.6;
      const body = ping
        ? pingBody(randomText(rnd, 24), int(1000))
        : stringBody(randomText(rnd, 40));
      const cut = body.subarray(0, int(body.length)); // strictly shorter: cut anywhere
      parts.push(frameBytes(ping ? PING_ID : CHAT_ID, cut));
      frames++;
      break;
    }
    case "mutated": {
      const f = validFrame().slice();
      for (let i = 1 + int(3); i > 0; i--) f[int(f.length)] ^= 1 << int(8);
      parts.push(f);
      frames++;
      break;
    }
    case "random-bytes":
      parts.push(new Uint8Array(1 + int(300)).map(() => int(256)));
      frames++;
      break;
    case "lying-length-then-frames": {
      // A Length longer than its body swallows the frames behind it.
      const body = pingBody(randomText(rnd, 8), 2);
      parts.push(frameBytes(PING_ID, body, Math.min(cap, 2 + body.length + 1 + int(40))));
      for (let i = int(4); i >= 0; i--) parts.push(validFrame());
      frames += 1;
      break;
    }
  }
  // Sometimes valid frames behind the bad part (never reached if it was fatal).
  if (kind !== "clean" && rnd() < 0.3) {
    for (let i = 1 + int(3); i > 0; i--) parts.push(validFrame());
  }
  const stream = concat(parts);
  const splits: number[] = [];
  for (let i = int(4); i > 0; i--) splits.push(1 + int(Math.max(1, stream.length - 1)));
  splits.sort((a, b) => a - b);
  return { kind, stream, frames, splits };
}

/** A raw loopback client on the project's own transport (so both ends run the runtime's adapter). */
class FuzzClient {
  readonly conn: Connection;
  received = 0;
  chunks: Uint8Array[] = [];
  readonly closed: Promise<Error | undefined>;
  #wake: (() => void) | undefined;
  #isClosed = false;

  constructor(conn: Connection) {
    this.conn = conn;
    let done!: (e: Error | undefined) => void;
    this.closed = new Promise((r) => (done = r));
    conn.setHandler({
      onData: (chunk) => {
        this.chunks.push(chunk.slice());
        this.received += chunk.length;
        this.#wake?.();
      },
      onDrain: () => {},
      onClose: (e) => {
        this.#isClosed = true;
        done(e);
        this.#wake?.();
      },
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Resolves when `cond()` holds (checked after every arrival and at close), or rejects after `ms`. */
  until(cond: () => boolean, ms: number, what: string): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      this.#wake = () => {
        if (cond()) {
          clearTimeout(timer);
          this.#wake = undefined;
          resolve();
        }
      };
    });
  }

  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A logger that keeps only counts and the first error lines. */
class CountingLogger implements Logger {
  errors: string[] = [];
  warns = 0;
  debug(): void {}
  info(): void {}
  warn(): void {
    this.warns++;
  }
  error(m: string, e?: unknown): void {
    if (this.errors.length < 20) this.errors.push(`${m} ${(e as Error)?.message ?? e ?? ""}`);
  }
}

const STEP_MS = 15_000;

/** Run the fuzz; never throws for an invariant violation, it reports it in `violations`. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { seed, maxPacketSize } = options;
  const concurrency = options.concurrency ?? 16;
  const maxValid = options.maxValidFrames ?? 64;
  const progressEvery = options.progressEvery ?? 1000;
  const r: FuzzResult = {
    frames: 0,
    bytes: 0,
    sessions: 0,
    closedBy: {},
    kinds: {},
    echoes: 0,
    goodReplies: 0,
    violations: [],
    elapsedMs: 0,
  };
  const violate = (m: string) => {
    if (r.violations.length < 50) r.violations.push(m);
  };
  const onUnhandled = (e: unknown) => violate(`unhandled rejection: ${(e as Error)?.stack ?? e}`);
  const onUncaught = (e: unknown) => violate(`uncaught exception: ${(e as Error)?.stack ?? e}`);
  process.on("unhandledRejection", onUnhandled);
  process.on("uncaughtException", onUncaught);
  const started = Date.now();

  const systemIds = registeredMessageMetas().filter((m) => m.system).map((m) => m.id);
  const logger = new CountingLogger();
  const queue = options.useQueue ? new EventQueue({ logger }).startLoop() : undefined;
  // Server sessions by remote port until their client claims them; closes by session.
  const acceptedByPort = new Map<number, Session>();
  const acceptWaiters = new Map<number, (s: Session) => void>();
  const closes = new Map<Session, SessionClosed>();
  const closeWaiters = new Map<Session, (c: SessionClosed) => void>();
  const acceptor = new tcp.Acceptor({
    name: "fuzz",
    address: "127.0.0.1:0",
    maxPacketSize,
    logger,
    queue,
  });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    const m = ev.message;
    if (m instanceof Ping) {
      ev.session.send(m);
    } else if (m instanceof SessionAccepted) {
      const address = ev.session.remoteAddress;
      const port = Number(address.slice(address.lastIndexOf(":") + 1));
      const w = acceptWaiters.get(port);
      if (w) {
        acceptWaiters.delete(port);
        w(ev.session);
      } else acceptedByPort.set(port, ev.session);
    } else if (m instanceof SessionClosed) {
      const w = closeWaiters.get(ev.session);
      if (w) {
        closeWaiters.delete(ev.session);
        w(m);
      } else closes.set(ev.session, m);
    }
  });
  await acceptor.start();
  const port = acceptor.port;
  const transport = await loadTransport();

  const serverSession = (p: number): Promise<Session> => {
    const s = acceptedByPort.get(p);
    if (s) {
      acceptedByPort.delete(p);
      return Promise.resolve(s);
    }
    return within(
      new Promise((resolve) => acceptWaiters.set(p, resolve)),
      STEP_MS,
      `the server session of port ${p}`,
    );
  };
  const serverClose = (s: Session): Promise<SessionClosed> => {
    const c = closes.get(s);
    if (c) {
      closes.delete(s);
      return Promise.resolve(c);
    }
    return within(
      new Promise((resolve) => closeWaiters.set(s, resolve)),
      STEP_MS,
      `SessionClosed of session ${s.id}`,
    );
  };

  // The well-behaved client: one ping in flight at a time, each reply checked.
  let fuzzing = true;
  let stopping = false;
  const good = new tcp.SyncConnector({ name: "good", address: `127.0.0.1:${port}`, logger });
  let expectSeq = -1;
  let expectText = "";
  let replied: (() => void) | undefined;
  bindProcessorHandler(good, "tcp.ltv", (ev) => {
    if (ev.message instanceof Ping) {
      if (ev.message.Seq !== expectSeq || ev.message.Text !== expectText) {
        violate(
          `good client: reply ${ev.message.Seq}/${ev.message.Text} for ${expectSeq}/${expectText}`,
        );
      }
      replied?.();
    } else if (ev.message instanceof SessionClosed && !stopping) {
      violate(
        `good client closed: ${closeReasonName(ev.message.reason)} ${
          ev.message.error?.message ?? ""
        }`,
      );
      replied?.();
    }
  });
  await good.start();
  const goodRnd = prng(seed ^ 0x5eed);
  const roundTrip = async (): Promise<void> => {
    expectSeq = (expectSeq + 1) | 0;
    expectText = randomText(goodRnd, 32);
    const p = new Promise<void>((resolve) => (replied = resolve));
    good.session.send(new Ping({ Text: expectText, Seq: expectSeq }));
    await within(p, STEP_MS, "the good client's echo");
    if (good.isConnected) r.goodReplies++;
  };
  const goodLoop = (async () => {
    while (fuzzing && good.isConnected) await roundTrip();
  })().catch((e) => violate(`good client: ${(e as Error).message}`));

  let nextSession = 0;
  const one = async (index: number): Promise<void> => {
    const rnd = prng((seed * 1_000_003 + index) >>> 0);
    const plan = generate(rnd, maxPacketSize, maxValid, systemIds);
    const expect = predict(plan.stream, maxPacketSize);
    r.frames += plan.frames;
    r.bytes += plan.stream.length;
    r.kinds[plan.kind] = (r.kinds[plan.kind] ?? 0) + 1;
    const where = `session #${index} (seed ${seed}, kind ${plan.kind}, expect ${expect.end})`;
    const client = new FuzzClient(await transport.connect({ host: "127.0.0.1", port }));
    try {
      await check(index, plan, expect, where, client);
    } finally {
      if (!client.isClosed) {
        client.conn.close(false);
        await client.closed;
      }
    }
  };
  const check = async (
    index: number,
    plan: Plan,
    expect: Prediction,
    where: string,
    client: FuzzClient,
  ): Promise<void> => {
    const session = await serverSession(client.conn.localAddress.port);
    let at = 0;
    for (const split of [...plan.splits, plan.stream.length]) {
      if (split <= at) continue;
      client.conn.write(plan.stream.subarray(at, split));
      at = split;
      // Yield a macrotask so the pieces tend to leave as separate segments; what
      // is checked does not depend on how the kernel actually splits them.
      if (at < plan.stream.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (expect.end === "protocol") {
      await within(client.closed, STEP_MS, `${where}: the server to close`);
    } else {
      await client.until(
        () => client.received >= expect.echo.length || client.isClosed,
        STEP_MS,
        `${where}: echoes`,
      );
      if (client.isClosed) violate(`${where}: the server closed a session that broke no rule`);
      client.conn.close(true);
      await within(client.closed, STEP_MS, `${where}: the close`);
    }
    const got = client.bytes();
    if (!equalBytes(got, expect.echo)) {
      violate(
        `${where}: got ${got.length} echo bytes, expected ${expect.echo.length} (${expect.echoes} pings)`,
      );
    } else r.echoes += expect.echoes;
    const closed = await serverClose(session);
    const name = closeReasonName(closed.reason);
    r.closedBy[name] = (r.closedBy[name] ?? 0) + 1;
    const err = closed.error;
    if (expect.end === "protocol") {
      if (closed.reason !== CloseReason.ProtocolError || !(err instanceof ProtocolError)) {
        violate(`${where}: closed ${name} ${err?.name}: ${err?.message}`);
      }
    } else if (expect.end === "cut") {
      if (closed.reason !== CloseReason.IO || !/unexpected EOF/.test(err?.message ?? "")) {
        violate(`${where}: closed ${name} ${err?.message}, expected IO with unexpected EOF`);
      }
    } else if (closed.reason !== CloseReason.IO || err !== undefined) {
      violate(`${where}: closed ${name} ${err?.message}, expected a clean IO close`);
    }
    r.sessions++;
    if (r.sessions % progressEvery === 0) {
      r.elapsedMs = Date.now() - started;
      options.onProgress?.(r);
    }
  };
  const worker = async (): Promise<void> => {
    while (r.frames < options.frames && r.violations.length === 0) {
      const index = nextSession++;
      try {
        await one(index);
      } catch (e) {
        violate(`session #${index} (seed ${seed}): ${(e as Error).message}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    fuzzing = false;
    await goodLoop;
    // After all that, the well-behaved session still answers.
    if (good.isConnected) {
      await roundTrip().catch((e) =>
        violate(`good client after the fuzz: ${(e as Error).message}`)
      );
    } else violate("the good client is no longer connected");
    if (r.goodReplies === 0) violate("the good client got no reply");
    for (const e of logger.errors) violate(`error logged: ${e}`);
  } finally {
    fuzzing = false;
    stopping = true;
    await good.stop();
    await acceptor.stop();
    queue?.stopLoop();
    if (acceptor.sessionCount() !== 0) {
      violate(`${acceptor.sessionCount()} sessions left after stop`);
    }
    process.off("unhandledRejection", onUnhandled);
    process.off("uncaughtException", onUncaught);
  }
  r.elapsedMs = Date.now() - started;
  return r;
}
