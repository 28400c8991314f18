/**
 * What rpc and relay accept as a destination: a session, or anything with a
 * `session` (a connector), like cellnet's `getPeerSession`.
 *
 * @module
 */
import type { Session } from "../cellnet.ts";

/** A session, or a peer that owns one (a connector: `connector.session`). */
export type SessionTarget = Session | { readonly session: Session };

/** The session of `target`; a TypeError for anything else (cellnet: `Invalid peer type`). */
export function targetSession(target: SessionTarget, who: string): Session {
  const t = target as Partial<Session> & { session?: Session } | null | undefined;
  if (t !== null && typeof t === "object") {
    if (typeof t.send === "function" && "peer" in t) return t as Session;
    const s = t.session;
    if (s !== null && typeof s === "object" && typeof s.send === "function") return s;
  }
  throw new TypeError(
    `${who}: target must be a Session or a connector (an object with .session), got ${
      t === null ? "null" : typeof t
    }`,
  );
}
