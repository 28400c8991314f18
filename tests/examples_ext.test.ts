// The rpc and relay examples as real processes on the runtime running the
// test: every echo client mode against the echo server, --msglog, and the
// gateway with two backends and two chat clients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { within } from "./_helpers.ts";
import { Proc } from "./_proc.ts";

test("examples/echo: every client mode gets the reply, and --msglog prints cellnet's lines", {
  timeout: 60_000,
}, async () => {
  const server = new Proc("examples/echo/server.ts", ["127.0.0.1:0", "--msglog"]);
  try {
    const port = (await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 20_000))[1];
    for (const mode of ["plain", "callback", "rpc", "rpc-sync"]) {
      const client = new Proc("examples/echo/client.ts", [
        `127.0.0.1:${port}`,
        `hi ${mode}`,
        "--mode",
        mode,
      ]);
      await client.waitFor(new RegExp(`reply: Msg=hi ${mode} Value=1234`), 20_000);
      assert.equal(await within(client.exited, 10_000, `${mode} client exit`), 0, client.err);
    }
    // Plain messages log as #tcp lines, rpc requests as #rpc lines of the inner message.
    await server.waitFor(
      /\[DEBU\] tcpproc \S+ \S+ #tcp\.recv\(echo\)@1 len: 14 TestEchoACK \| \{Msg:hi plain Value:1234\}/,
    );
    await server.waitFor(
      /\[DEBU\] rpc \S+ \S+ #rpc\.send\(echo\)@\d+ len: 17 TestEchoACK \| \{Msg:hi rpc-sync Value:1234\}/,
    );
    assert.match(server.out, /server recv rpc \{Msg:hi rpc Value:1234\}/);
    const logged = new Proc("examples/echo/client.ts", [
      `127.0.0.1:${port}`,
      "x",
      "--mode",
      "rpc",
      "--msglog",
    ]);
    await logged.waitFor(
      /#rpc\.recv\(async rpc\)@1 len: 7 TestEchoACK \| \{Msg:x Value:1234\}/,
      20_000,
    );
    assert.equal(await within(logged.exited, 10_000, "client exit"), 0);
  } finally {
    await server.stop();
  }
});

test(
  "examples/echo: the rpc client fails cleanly when nothing listens",
  { timeout: 30_000 },
  async () => {
    const client = new Proc("examples/echo/client.ts", ["127.0.0.1:1", "x", "--mode", "rpc-sync"]);
    assert.equal(await within(client.exited, 20_000, "client exit"), 1);
    assert.match(client.err, /cannot connect to 127\.0\.0\.1:1/);
  },
);

test(
  "examples/gateway: a chat line reaches every client the chat backend knows, an echo only its sender",
  { timeout: 60_000 },
  async () => {
    const gateway = new Proc("examples/gateway/gateway.ts", ["127.0.0.1:0", "127.0.0.1:0"]);
    const procs: Proc[] = [];
    try {
      const clientPort =
        (await gateway.waitFor(/gateway clients on 127\.0\.0\.1:(\d+)/, 20_000))[1];
      const backendPort =
        (await gateway.waitFor(/gateway backends on 127\.0\.0\.1:(\d+)/, 20_000))[1];
      for (const role of ["chat", "echo"]) {
        procs.push(
          new Proc("examples/gateway/backend.ts", [
            `127.0.0.1:${backendPort}`,
            "--role",
            role,
            "--msglog",
          ]),
        );
        await gateway.waitFor(new RegExp(`backend registered: ${role}`), 20_000);
      }
      const clients: Proc[] = [];
      for (let i = 0; i < 2; i++) {
        // One at a time, so clients[i] is sid i+1 at the gateway.
        const c = new Proc("examples/gateway/client.ts", [`127.0.0.1:${clientPort}`]);
        clients.push(c);
        procs.push(c);
        await gateway.waitFor(new RegExp(`client connected: sid${i + 1}`), 20_000);
      }
      // The chat backend sends to every client it has heard from: first sid2 alone, then both.
      clients[1].child.stdin!.write("你好 😀\n");
      await clients[1].waitFor(/sid2 say: 你好 😀\n/);
      clients[0].child.stdin!.write("hello all\n/echo just me\n");
      for (const c of clients) await c.waitFor(/sid1 say: hello all\n/);
      await clients[0].waitFor(/echo: just me\n/);
      // The echo backend's message log shows the relay with the pass-through client id.
      await procs[1].waitFor(/#relay\.recv\(backend-echo\)@1 len: \d+ EchoREQ \{Int64:1 \}\| /);
      for (const c of clients) c.child.stdin!.end();
      for (const c of clients) {
        assert.equal(await within(c.exited, 10_000, "client exit"), 0, c.err);
      }
      assert.doesNotMatch(clients[1].out, /echo: just me/);
    } finally {
      for (const p of procs) await p.stop();
      await gateway.stop();
    }
  },
);
