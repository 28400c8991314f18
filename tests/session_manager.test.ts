import { test } from "node:test";
import assert from "node:assert/strict";
import { CoreSession, SessionManager, tcp } from "../mod.ts";

function sessions(n: number): CoreSession[] {
  const peer = new tcp.Acceptor({ address: "127.0.0.1:0" });
  const host = { sessionClosed: () => {} };
  return Array.from({ length: n }, () => new CoreSession(peer, peer.sessionOptions, host));
}

test("SessionManager hands out ids from 1 and finds sessions by id", () => {
  const mgr = new SessionManager();
  const [a, b, c] = sessions(3);
  mgr.add(a);
  mgr.add(b);
  mgr.add(c);
  assert.deepEqual([a.id, b.id, c.id], [1, 2, 3]);
  assert.equal(mgr.getSession(2), b);
  assert.equal(mgr.getSession(4), undefined);
  assert.equal(mgr.sessionCount(), 3);
});

test("SessionManager.remove forgets a session and never reuses its id", () => {
  const mgr = new SessionManager();
  const [a, b] = sessions(2);
  mgr.add(a);
  mgr.remove(a);
  assert.equal(mgr.sessionCount(), 0);
  assert.equal(mgr.getSession(1), undefined);
  mgr.add(b);
  assert.equal(b.id, 2);
});

test("SessionManager.visitSession stops when the callback returns false", () => {
  const mgr = new SessionManager();
  for (const s of sessions(5)) mgr.add(s);
  const seen: number[] = [];
  mgr.visitSession((s) => {
    seen.push(s.id);
    return s.id < 3;
  });
  assert.deepEqual(seen, [1, 2, 3]);
  const all: number[] = [];
  mgr.visitSession((s) => {
    all.push(s.id);
  });
  assert.equal(all.length, 5);
});

test("SessionManager.setIdBase sets the last id handed out, as cellnet's SetIDBase", () => {
  const mgr = new SessionManager();
  mgr.setIdBase(1000);
  const [a, b] = sessions(2);
  mgr.add(a);
  assert.equal(a.id, 1001);
  mgr.setIdBase(0);
  mgr.add(b);
  assert.equal(b.id, 1, "a base of 0 (the default) is legal");
  assert.throws(() => mgr.setIdBase(-1), RangeError);
  assert.throws(() => mgr.setIdBase(1.5), RangeError);
});

test("SessionManager.closeAllSession closes every session", () => {
  const mgr = new SessionManager();
  const all = sessions(3);
  for (const s of all) mgr.add(s);
  mgr.closeAllSession();
  for (const s of all) assert.equal(s.isClosed, true);
});
