// Session ids: each peer counts from 1 on its own; peers given one
// SessionIdCounter as `sessionIds` hand out ids that never collide (a TCP
// and a WebSocket acceptor of one chat service).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bindProcessorHandler,
  gorillaws,
  type Session,
  SessionAccepted,
  SessionIdCounter,
  SessionManager,
  tcp,
} from "../mod.ts";
import { EventLog, T } from "./_helpers.ts";
import { WsPeer } from "./_gorillaws.ts";

async function acceptors(sessionIds?: SessionIdCounter) {
  const tcpLog = new EventLog();
  const wsLog = new EventLog();
  const tcpServer = new tcp.Acceptor({ address: "127.0.0.1:0", sessionIds });
  const wsServer = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/chat", sessionIds });
  bindProcessorHandler(tcpServer, "tcp.ltv", tcpLog.handler);
  bindProcessorHandler(wsServer, "gorillaws.ltv", wsLog.handler);
  await tcpServer.start();
  await wsServer.start();
  return { tcpServer, wsServer, tcpLog, wsLog };
}

/** Connect a TCP then a WS client, twice; the server sessions in accept order. */
async function connectAlternately(a: Awaited<ReturnType<typeof acceptors>>) {
  const sessions: Session[] = [];
  const clients: { stop(): Promise<void> }[] = [];
  for (let i = 0; i < 2; i++) {
    const c = new tcp.SyncConnector({ address: `127.0.0.1:${a.tcpServer.port}` });
    bindProcessorHandler(c, "tcp.ltv", () => {});
    await c.start();
    clients.push(c);
    sessions.push((await a.tcpLog.nextOf(SessionAccepted)).session);
    const w = await WsPeer.open(`ws://127.0.0.1:${a.wsServer.port}/chat`);
    clients.push({ stop: () => w.close() });
    sessions.push((await a.wsLog.nextOf(SessionAccepted)).session);
  }
  return { sessions, clients };
}

test(
  "a TCP and a WebSocket acceptor sharing a SessionIdCounter hand out distinct ids",
  T,
  async () => {
    const ids = new SessionIdCounter();
    const a = await acceptors(ids);
    const { sessions, clients } = await connectAlternately(a);
    try {
      assert.deepEqual(sessions.map((s) => s.id), [1, 2, 3, 4]);
      assert.equal(a.tcpServer.getSession(1), sessions[0]);
      assert.equal(a.wsServer.getSession(2), sessions[1]);
      assert.equal(a.tcpServer.getSession(2), undefined, "id 2 is the other peer's");
      assert.equal(ids.lastId, 4);
    } finally {
      for (const c of clients) await c.stop();
      await a.tcpServer.stop();
      await a.wsServer.stop();
    }
  },
);

test(
  "without sessionIds each peer counts from 1; setSessionIdBase on a shared counter moves both",
  T,
  async () => {
    const own = await acceptors();
    const first = await connectAlternately(own);
    try {
      assert.deepEqual(first.sessions.map((s) => s.id), [1, 1, 2, 2]);
    } finally {
      for (const c of first.clients) await c.stop();
      await own.tcpServer.stop();
      await own.wsServer.stop();
    }
    const shared = await acceptors(new SessionIdCounter());
    shared.wsServer.setSessionIdBase(1000);
    const second = await connectAlternately(shared);
    try {
      assert.deepEqual(second.sessions.map((s) => s.id), [1001, 1002, 1003, 1004]);
    } finally {
      for (const c of second.clients) await c.stop();
      await shared.tcpServer.stop();
      await shared.wsServer.stop();
    }
  },
);

test("SessionIdCounter counts from its base and refuses a bad one; SessionManager takes ids from it", () => {
  const ids = new SessionIdCounter(10);
  assert.equal(ids.nextId(), 11);
  assert.equal(ids.nextId(), 12);
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
    assert.throws(() => ids.setIdBase(bad), RangeError);
    assert.throws(() => new SessionIdCounter(bad), RangeError);
  }
  const a = new SessionManager(ids);
  const b = new SessionManager(ids);
  a.setIdBase(100);
  assert.equal(ids.nextId(), 101);
  b.setIdBase(0);
  assert.equal(ids.lastId, 0);
});
