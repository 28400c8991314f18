import type { CoreSession } from "../session/session.ts";
import type { SessionManager } from "../session/session_manager.ts";

/**
 * Close every session of `sessions` gracefully, going away (WebSocket 1001),
 * wait until their connections are closed, and destroy whatever is still
 * open after `timeoutMs`.
 */
export async function stopSessions(sessions: SessionManager, timeoutMs: number): Promise<void> {
  const all: CoreSession[] = [];
  sessions.visitSession((s) => {
    all.push(s);
  });
  for (const s of all) s.closeGoingAway();
  await closedWithin(all, timeoutMs);
}

/** Wait for `all` connections to close; abort those still open after `timeoutMs`. */
export async function closedWithin(all: CoreSession[], timeoutMs: number): Promise<void> {
  if (all.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(all.map((s) => s.connectionClosed())), deadline]);
  clearTimeout(timer);
  for (const s of all) s.abort();
}
