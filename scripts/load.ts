// Load scripts (loopback only, bounded in count and time; not part of the suite).
//
//   npm run load                         1000 chat clients on one acceptor, each sending numbered
//                                        messages; every client must get every broadcast exactly
//                                        once and in per-sender order. Reports deliveries/s, peak RSS.
//     [--clients 1000] [--messages 10] [--window 4]
//   npm run load -- --storm              200 reconnecting connectors; the acceptor is restarted
//                                        twice; all must reconnect and resume (including the
//                                        message each sent while the server was down).
//     [--clients 200]
//   npm run load -- --churn --minutes N  connect / round trip / disconnect for N minutes;
//                                        RSS and heap after GC at start and end.
//     [--minutes 1] [--batch 50]
//
// On the other runtimes: `npx deno run -A --v8-flags=--expose-gc scripts/load.ts [...]`,
// `npx bun scripts/load.ts [...]`. Exits 1 if any check fails. 1000 clients in one process
// use about 2100 file descriptors: raise `ulimit -n` if it is lower.
import process from "node:process";
import {
  bindProcessorHandler,
  closeReasonName,
  detectRuntime,
  type Logger,
  SessionClosed,
  SessionConnected,
  SessionConnectError,
  tcp,
} from "../mod.ts";
import { ChatACK, ChatREQ } from "../examples/chat/proto.ts";
import { Ping } from "../tests/_messages.ts";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} needs a number > 0`);
    process.exit(2);
  }
  return v;
}

const mib = (n: number) => (n / 1048576).toFixed(1);
const failures: string[] = [];
const fail = (m: string) => {
  if (failures.length < 30) failures.push(m);
};

/** Logs only errors (warnings are expected here: refused dials during a restart). */
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error(m: string, e?: unknown) {
    fail(`error logged: ${m} ${(e as Error)?.message ?? ""}`);
  },
};

/** Peak RSS, sampled every 50 ms (and from the OS where Node reports it). */
class RssSampler {
  peak = process.memoryUsage().rss;
  #timer = setInterval(() => this.sample(), 50);
  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    const ru = (process as { resourceUsage?: () => { maxRSS: number } }).resourceUsage;
    if (detectRuntime() === "node" && ru) this.peak = Math.max(this.peak, ru().maxRSS * 1024);
    return this.peak;
  }
}

/** Resolve when `cond()` holds, checking whenever `kick` is called; reject after `ms`. */
class Waiter {
  #cond: (() => boolean) | undefined;
  #resolve: (() => void) | undefined;
  kick = (): void => {
    if (this.#cond?.()) {
      this.#cond = undefined;
      this.#resolve?.();
    }
  };
  until(cond: () => boolean, ms: number, what: string): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#cond = undefined;
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      this.#cond = cond;
      this.#resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function gc(): void {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) g.Bun.gc(true);
  else g.gc?.();
}

// ---------------------------------------------------------------- chat load

async function chat(): Promise<void> {
  const CLIENTS = flag("clients", 1000);
  const MESSAGES = flag("messages", 10);
  const WINDOW = flag("window", 4);
  console.log(
    `chat load on ${detectRuntime()}: ${CLIENTS} clients x ${MESSAGES} messages, window ${WINDOW}`,
  );
  const rss = new RssSampler();
  const acceptor = new tcp.Acceptor({ name: "chat", address: "127.0.0.1:0", logger });
  let broadcasts = 0;
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    if (ev.message instanceof ChatREQ) {
      broadcasts++;
      acceptor.broadcast(new ChatACK({ Content: ev.message.Content, Id: BigInt(ev.session.id) }));
    }
  });
  await acceptor.start();
  const address = `127.0.0.1:${acceptor.port}`;

  const expectedPerClient = CLIENTS * MESSAGES;
  const received = new Int32Array(CLIENTS);
  // lastSeq[receiver * CLIENTS + sender]: the last seq seen from that sender, -1 before any.
  const lastSeq = new Int32Array(CLIENTS * CLIENTS).fill(-1);
  const sent = new Int32Array(CLIENTS);
  let totalReceived = 0;
  let connectedCount = 0;
  const waiter = new Waiter();
  const clients: tcp.Connector[] = [];
  let stopping = false;
  const sendNext = (i: number) => {
    if (sent[i] < MESSAGES) clients[i].session.send(new ChatREQ({ Content: `${i}:${sent[i]++}` }));
  };
  for (let i = 0; i < CLIENTS; i++) {
    const c = new tcp.Connector({ name: `client${i}`, address, logger });
    bindProcessorHandler(c, "tcp.ltv", (ev) => {
      const m = ev.message;
      if (m instanceof ChatACK) {
        const colon = m.Content.indexOf(":");
        const sender = Number(m.Content.slice(0, colon));
        const seq = Number(m.Content.slice(colon + 1));
        const k = i * CLIENTS + sender;
        if (seq !== lastSeq[k] + 1) {
          fail(`client ${i}: from ${sender} got #${seq} after #${lastSeq[k]}`);
        }
        lastSeq[k] = seq;
        received[i]++;
        totalReceived++;
        if (sender === i) sendNext(i);
        if (totalReceived % 10000 === 0 || received[i] === expectedPerClient) waiter.kick();
      } else if (m instanceof SessionConnected) {
        connectedCount++;
        waiter.kick();
      } else if (m instanceof SessionConnectError) {
        fail(`client ${i}: connect failed: ${m.error?.message}`);
      } else if (m instanceof SessionClosed && !stopping) {
        fail(`client ${i} closed: ${closeReasonName(m.reason)} ${m.error?.message ?? ""}`);
      }
    });
    clients.push(c);
  }
  const t0 = Date.now();
  // Dial in batches of 100 so the listen backlog never overflows.
  for (let b = 0; b < CLIENTS; b += 100) {
    for (let i = b; i < Math.min(CLIENTS, b + 100); i++) await clients[i].start();
    const want = Math.min(CLIENTS, b + 100);
    await waiter.until(
      () => connectedCount >= want || failures.length > 0,
      30_000,
      `${want} clients connected`,
    );
  }
  while (acceptor.sessionCount() < CLIENTS && failures.length === 0) {
    await new Promise((r) => setTimeout(r, 10)); // the server's accepts trail the clients' connects
  }
  console.log(
    `  ${CLIENTS} clients connected in ${Date.now() - t0} ms, rss ${mib(rss.sample())} MiB`,
  );

  const t1 = Date.now();
  for (let i = 0; i < CLIENTS; i++) for (let w = 0; w < WINDOW; w++) sendNext(i);
  const total = CLIENTS * expectedPerClient;
  const progress = setInterval(() => {
    console.log(`  ${totalReceived} / ${total} deliveries, rss ${mib(rss.sample())} MiB`);
  }, 2000);
  try {
    await waiter.until(
      () => totalReceived >= total || failures.length > 0,
      600_000,
      "every delivery",
    );
  } catch (e) {
    fail((e as Error).message);
  }
  clearInterval(progress);
  const secs = (Date.now() - t1) / 1000;
  for (let i = 0; i < CLIENTS; i++) {
    if (received[i] !== expectedPerClient) {
      fail(`client ${i}: ${received[i]} of ${expectedPerClient} messages`);
    }
    for (let s = 0; s < CLIENTS; s++) {
      if (lastSeq[i * CLIENTS + s] !== MESSAGES - 1) {
        fail(`client ${i}: last from ${s} is #${lastSeq[i * CLIENTS + s]}`);
        break;
      }
    }
  }
  const peak = rss.stop();
  console.log(`broadcasts:    ${broadcasts} (each to ${CLIENTS} sessions)`);
  console.log(
    `deliveries:    ${totalReceived} in ${secs.toFixed(1)} s = ${
      Math.round(totalReceived / secs)
    } deliveries/s`,
  );
  console.log(
    `checked:       every client got every message exactly once, in per-sender order: ${
      failures.length === 0
    }`,
  );
  console.log(`peak rss:      ${mib(peak)} MiB (server and ${CLIENTS} clients in one process)`);
  stopping = true;
  await Promise.all(clients.map((c) => c.stop()));
  await acceptor.stop();
  if (acceptor.sessionCount() !== 0) fail(`${acceptor.sessionCount()} sessions left`);
}

// ---------------------------------------------------------------- reconnect storm

async function storm(): Promise<void> {
  const CLIENTS = flag("clients", 200);
  const RESTARTS = 2;
  console.log(
    `reconnect storm on ${detectRuntime()}: ${CLIENTS} connectors (reconnect 100 ms), ${RESTARTS} acceptor restarts`,
  );
  const rss = new RssSampler();
  // Restarts must keep the port: pick a free one, then bind it explicitly.
  const probe = new tcp.Acceptor({ name: "probe", address: "127.0.0.1:0", logger });
  bindProcessorHandler(probe, "tcp.ltv", () => {});
  await probe.start();
  const port = probe.port;
  await probe.stop();
  const acceptor = new tcp.Acceptor({ name: "storm", address: `127.0.0.1:${port}`, logger });
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    if (ev.message instanceof Ping) ev.session.send(ev.message);
  });
  await acceptor.start();
  const waiter = new Waiter();
  const connects = new Int32Array(CLIENTS);
  const closes = new Int32Array(CLIENTS);
  const echoed: Set<number>[] = Array.from({ length: CLIENTS }, () => new Set());
  const clients: tcp.Connector[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const c = new tcp.Connector({
      name: `c${i}`,
      address: `127.0.0.1:${port}`,
      reconnectIntervalMs: 100,
      logger,
    });
    bindProcessorHandler(c, "tcp.ltv", (ev) => {
      const m = ev.message;
      if (m instanceof Ping) {
        if (echoed[i].has(m.Seq)) fail(`client ${i}: echo ${m.Seq} twice`);
        echoed[i].add(m.Seq);
      } else if (m instanceof SessionConnected) connects[i]++;
      else if (m instanceof SessionClosed) closes[i]++;
      waiter.kick();
    });
    clients.push(c);
  }
  const all = (f: (i: number) => boolean) => {
    for (let i = 0; i < CLIENTS; i++) if (!f(i)) return false;
    return true;
  };
  const t0 = Date.now();
  for (const c of clients) await c.start();
  for (let phase = 0; phase <= RESTARTS; phase++) {
    const tp = Date.now();
    await waiter.until(
      () => all((i) => connects[i] === phase + 1),
      60_000,
      `all ${CLIENTS} connected (phase ${phase})`,
    );
    // The message each sent while the server was down (phase > 0) is delivered on reconnect.
    if (phase > 0) {
      await waiter.until(
        () => all((i) => echoed[i].has(phase * 10 - 1)),
        30_000,
        `queued messages of phase ${phase}`,
      );
    }
    for (let i = 0; i < CLIENTS; i++) {
      clients[i].session.send(new Ping({ Text: `c${i}`, Seq: phase * 10 }));
    }
    await waiter.until(
      () => all((i) => echoed[i].has(phase * 10)),
      30_000,
      `echoes of phase ${phase}`,
    );
    console.log(
      `  phase ${phase}: all ${CLIENTS} (re)connected and echoed in ${
        Date.now() - tp
      } ms, server sessions ${acceptor.sessionCount()}, rss ${mib(rss.sample())} MiB`,
    );
    if (acceptor.sessionCount() !== CLIENTS) {
      fail(`phase ${phase}: ${acceptor.sessionCount()} server sessions`);
    }
    if (phase === RESTARTS) break;
    await acceptor.stop();
    await waiter.until(
      () => all((i) => closes[i] === phase + 1),
      30_000,
      `all clients to see the stop (phase ${phase})`,
    );
    for (let i = 0; i < CLIENTS; i++) {
      clients[i].session.send(new Ping({ Text: `queued c${i}`, Seq: (phase + 1) * 10 - 1 }));
    }
    await acceptor.start();
  }
  for (let i = 0; i < CLIENTS; i++) {
    if (connects[i] !== RESTARTS + 1) fail(`client ${i}: ${connects[i]} connects`);
    if (echoed[i].size !== 1 + 2 * RESTARTS) fail(`client ${i}: ${echoed[i].size} echoes`);
  }
  const peak = rss.stop();
  console.log(
    `storm:         ${CLIENTS} connectors, ${RESTARTS} restarts, ${
      CLIENTS * (RESTARTS + 1)
    } connects, every queued message delivered, in ${Date.now() - t0} ms`,
  );
  console.log(`peak rss:      ${mib(peak)} MiB`);
  await Promise.all(clients.map((c) => c.stop()));
  await acceptor.stop();
  if (acceptor.sessionCount() !== 0) fail(`${acceptor.sessionCount()} sessions left`);
}

// ---------------------------------------------------------------- churn soak

async function churn(): Promise<void> {
  const MINUTES = flag("minutes", 1);
  const BATCH = flag("batch", 50);
  console.log(
    `churn soak on ${detectRuntime()}: ${MINUTES} min, batches of ${BATCH} connect / echo / close`,
  );
  const acceptor = new tcp.Acceptor({ name: "churn", address: "127.0.0.1:0", logger });
  let serverCloses = false;
  bindProcessorHandler(acceptor, "tcp.ltv", (ev) => {
    if (ev.message instanceof Ping) {
      ev.session.send(ev.message);
      if (serverCloses) ev.session.close();
    }
  });
  await acceptor.start();
  const address = `127.0.0.1:${acceptor.port}`;
  let cycles = 0;
  let batches = 0;
  const batch = async (): Promise<void> => {
    // Every third batch the server closes after replying; the others close from the client.
    serverCloses = batches % 3 === 2;
    const waiter = new Waiter();
    let echoes = 0;
    let closed = 0;
    const cs: tcp.SyncConnector[] = [];
    for (let i = 0; i < BATCH; i++) {
      const c = new tcp.SyncConnector({ address, logger });
      bindProcessorHandler(c, "tcp.ltv", (ev) => {
        if (ev.message instanceof Ping) echoes++;
        if (ev.message instanceof SessionClosed) closed++;
        waiter.kick();
      });
      cs.push(c);
    }
    await Promise.all(cs.map((c) => c.start()));
    for (const c of cs) c.session.send(new Ping({ Text: "churn", Seq: cycles }));
    await waiter.until(() => echoes === BATCH, 30_000, "the batch's echoes");
    if (serverCloses) await waiter.until(() => closed === BATCH, 30_000, "the server's closes");
    await Promise.all(cs.map((c) => c.stop()));
    cycles += BATCH;
    batches++;
  };
  const measure = () => {
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed };
  };
  // Warm up (JIT, pools) before the first measurement.
  const warmUntil = Date.now() + Math.min(10_000, MINUTES * 6000);
  while (Date.now() < warmUntil) await batch();
  const start = measure();
  const warmCycles = cycles;
  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  let nextReport = t0 + 30_000;
  while (Date.now() < end && failures.length === 0) {
    try {
      await batch();
    } catch (e) {
      fail((e as Error).message);
    }
    if (Date.now() >= nextReport) {
      nextReport += 30_000;
      const m = process.memoryUsage();
      console.log(
        `  ${Math.round((Date.now() - t0) / 1000)} s: ${cycles - warmCycles} connections, rss ${
          mib(m.rss)
        } MiB, heap ${mib(m.heapUsed)} MiB, server sessions ${acceptor.sessionCount()}`,
      );
    }
  }
  const secs = (Date.now() - t0) / 1000;
  // Let the last closes settle, then measure.
  await new Promise((r) => setTimeout(r, 200));
  const last = measure();
  const measured = cycles - warmCycles;
  console.log(
    `churn:         ${measured} connections in ${
      secs.toFixed(0)
    } s after ${warmCycles} in the warm-up (${Math.round(measured / secs)}/s), each with one echo`,
  );
  console.log(`rss:           start ${mib(start.rss)} MiB, end ${mib(last.rss)} MiB`);
  console.log(`heap (after GC): start ${mib(start.heap)} MiB, end ${mib(last.heap)} MiB`);
  if (acceptor.sessionCount() !== 0) {
    fail(`${acceptor.sessionCount()} server sessions left between batches`);
  }
  // Flat: the heap after GC may not grow by more than 10 MiB over the soak.
  if (last.heap > start.heap + 10 * 1048576) {
    fail(`heap grew from ${mib(start.heap)} to ${mib(last.heap)} MiB`);
  }
  await acceptor.stop();
}

const mode = process.argv.includes("--storm")
  ? storm
  : process.argv.includes("--churn")
  ? churn
  : chat;
try {
  await mode();
} catch (e) {
  fail(`aborted: ${(e as Error).stack ?? e}`);
}
if (failures.length > 0) {
  console.log(`FAIL:`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log(`OK (${new Date().toISOString()}, ${detectRuntime()})`);
process.exit(0);
