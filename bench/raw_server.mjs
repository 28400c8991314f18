// The baseline: a framed echo server and a framed broadcast server written
// directly on the runtime's own socket API (node:net, Deno.listen,
// Bun.listen), as a competent user would write them without a framework.
// It parses the 2-byte LE length, writes back every complete frame of a read
// in one write, and keeps a split frame for the next read.
//
//   node bench/raw_server.mjs | deno run -A bench/raw_server.mjs | bun bench/raw_server.mjs
//
// Prints "READY <echoPort> <broadcastPort>". Commands on stdin, one a line:
// "mem" answers one JSON line {conns, rss, heapUsed, ...} after a GC; "quit" exits.
import { startControl } from "./_control.mjs";

const HOST = "127.0.0.1";
const runtime = typeof globalThis.Deno !== "undefined"
  ? "deno"
  : typeof globalThis.Bun !== "undefined"
  ? "bun"
  : "node";

/** End of the last complete frame in buf[0..end). */
function completeEnd(buf, end) {
  let off = 0;
  while (end - off >= 2) {
    const len = buf[off] | (buf[off + 1] << 8);
    if (end - off - 2 < len) break;
    off += 2 + len;
  }
  return off;
}

/** Per-connection reassembly: returns the complete frames (a view), keeps the tail. */
class Framer {
  tail = null;
  take(chunk) {
    let buf = chunk;
    if (this.tail !== null) {
      buf = new Uint8Array(this.tail.length + chunk.length);
      buf.set(this.tail, 0);
      buf.set(chunk, this.tail.length);
      this.tail = null;
    }
    const end = completeEnd(buf, buf.length);
    if (end < buf.length) this.tail = buf.slice(end);
    return end === 0 ? null : buf.subarray(0, end);
  }
}

let conns = 0;

async function nodeServers() {
  const net = await import("node:net");
  const listen = (onData, all) =>
    new Promise((resolve) => {
      const server = net.createServer((socket) => {
        conns++;
        socket.setNoDelay(true);
        const framer = new Framer();
        if (all) all.add(socket);
        socket.on("data", (chunk) => {
          const frames = framer.take(chunk);
          if (frames !== null) onData(socket, frames);
        });
        socket.on("error", () => {});
        socket.on("close", () => {
          conns--;
          if (all) all.delete(socket);
        });
      });
      server.listen(0, HOST, () => resolve(server.address().port));
    });
  // Node does not reuse a 'data' chunk, so writing a view of it needs no copy.
  const echo = await listen((socket, frames) => socket.write(frames));
  const everyone = new Set();
  const bcast = await listen((_s, frames) => {
    for (const s of everyone) s.write(frames);
  }, everyone);
  return [echo, bcast];
}

async function denoServers() {
  const READ = 64 * 1024;
  async function writeAll(conn, data) {
    let off = 0;
    while (off < data.length) off += await conn.write(data.subarray(off));
  }
  const serve = (onFrames, all) => {
    const listener = Deno.listen({ hostname: HOST, port: 0, transport: "tcp" });
    (async () => {
      for await (const conn of listener) {
        conns++;
        conn.setNoDelay(true);
        if (all) all.add(conn);
        (async () => {
          const buf = new Uint8Array(READ);
          const framer = new Framer();
          try {
            for (;;) {
              const n = await conn.read(buf);
              if (n === null) break;
              const frames = framer.take(buf.subarray(0, n));
              if (frames !== null) await onFrames(conn, frames);
            }
          } catch {
            // reset by the client at the end of a run
          }
          conns--;
          if (all) all.delete(conn);
          try {
            conn.close();
          } catch { /* already closed */ }
        })();
      }
    })();
    return listener.addr.port;
  };
  // The read buffer is reused, so the write completes before the next read.
  const echo = serve((conn, frames) => writeAll(conn, frames));
  const everyone = new Set();
  const bcast = serve((_c, frames) => {
    const ps = [];
    for (const c of everyone) ps.push(writeAll(c, frames).catch(() => {}));
    return Promise.all(ps);
  }, everyone);
  return [echo, bcast];
}

function bunServers() {
  // Bun writes what the kernel takes and returns the count; the rest waits for drain.
  const write = (socket, data) => {
    const st = socket.data;
    if (st.pending.length > 0) {
      st.pending.push(data.slice());
      return;
    }
    const n = socket.write(data);
    if (n < data.length && n >= 0) st.pending.push(data.slice(n));
  };
  const serve = (onFrames, all) =>
    Bun.listen({
      hostname: HOST,
      port: 0,
      socket: {
        binaryType: "uint8array",
        open(socket) {
          conns++;
          socket.setNoDelay(true);
          socket.data = { framer: new Framer(), pending: [] };
          if (all) all.add(socket);
        },
        data(socket, chunk) {
          const frames = socket.data.framer.take(chunk);
          if (frames !== null) onFrames(socket, frames);
        },
        drain(socket) {
          const st = socket.data;
          while (st.pending.length > 0) {
            const head = st.pending[0];
            const n = socket.write(head);
            if (n < head.length) {
              if (n > 0) st.pending[0] = head.subarray(n);
              return;
            }
            st.pending.shift();
          }
        },
        close(socket) {
          conns--;
          if (all) all.delete(socket);
        },
        error() {},
      },
    }).port;
  const echo = serve((socket, frames) => write(socket, frames));
  const everyone = new Set();
  const bcast = serve((_s, frames) => {
    for (const s of everyone) write(s, frames);
  }, everyone);
  return [echo, bcast];
}

const [echoPort, bcastPort] = runtime === "deno"
  ? await denoServers()
  : runtime === "bun"
  ? bunServers()
  : await nodeServers();
startControl(() => conns);
console.log(`READY ${echoPort} ${bcastPort}`);
