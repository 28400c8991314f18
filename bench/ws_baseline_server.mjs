// The WebSocket baseline: an echo server on each runtime's usual WebSocket
// server, as a user would write it without a framework — the `ws` package
// on Node, `Bun.serve`'s native WebSocket on Bun, `Deno.serve` +
// `Deno.upgradeWebSocket` on Deno. Every binary message is sent back as is
// (no decoding: what the raw TCP server does for frames).
//
//   node bench/ws_baseline_server.mjs | deno run -A bench/ws_baseline_server.mjs | bun bench/ws_baseline_server.mjs
//
// Prints "READY <port>"; reads commands on stdin (see _control.mjs).
import { startControl } from "./_control.mjs";

const HOST = "127.0.0.1";
const runtime = typeof globalThis.Deno !== "undefined"
  ? "deno"
  : typeof globalThis.Bun !== "undefined"
  ? "bun"
  : "node";

let conns = 0;

async function nodeServer() {
  const { WebSocketServer } = await import("ws");
  const server = new WebSocketServer({ host: HOST, port: 0, perMessageDeflate: false });
  await new Promise((resolve) => server.once("listening", resolve));
  server.on("connection", (socket) => {
    conns++;
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on("error", () => {});
    socket.on("close", () => conns--);
  });
  return server.address().port;
}

function bunServer() {
  const server = Bun.serve({
    hostname: HOST,
    port: 0,
    fetch(req, srv) {
      if (srv.upgrade(req)) return undefined;
      return new Response("404 page not found\n", { status: 404 });
    },
    websocket: {
      perMessageDeflate: false,
      open() {
        conns++;
      },
      message(ws, message) {
        ws.send(message);
      },
      close() {
        conns--;
      },
    },
  });
  return server.port;
}

async function denoServer() {
  let port = 0;
  const ready = new Promise((resolve) => {
    Deno.serve({
      hostname: HOST,
      port: 0,
      onListen: (addr) => {
        port = addr.port;
        resolve();
      },
    }, (req) => {
      if (req.headers.get("upgrade") !== "websocket") {
        return new Response("404 page not found\n", { status: 404 });
      }
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.binaryType = "arraybuffer";
      socket.onopen = () => conns++;
      socket.onmessage = (e) => socket.send(e.data);
      socket.onclose = () => conns--;
      socket.onerror = () => {};
      return response;
    });
  });
  await ready;
  return port;
}

const port = runtime === "deno"
  ? await denoServer()
  : runtime === "bun"
  ? bunServer()
  : await nodeServer();
startControl(() => conns);
console.log(`READY ${port}`);
