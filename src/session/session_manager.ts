/**
 * `SessionManager`: the sessions of one peer by id (cellnet's `peer.SessionManager`).
 *
 * @module
 */
import type { Session } from "../cellnet.ts";
import type { CoreSession } from "./session.ts";
import { SessionIdCounter, type SessionIdSource } from "./session_id_counter.ts";

/**
 * Holds a peer's live sessions and hands out their ids: the first is 1, or
 * `base + 1` after {@link setIdBase}. Ids come from its own counter, or from
 * `ids` when several managers share one (ids then never collide across them).
 *
 * @example Counting and visiting
 * ```ts
 * import { SessionManager } from "@cellnet/cellnet";
 * const mgr = new SessionManager();
 * mgr.visitSession((s) => { console.log(s.id); return true; });
 * console.log(mgr.sessionCount()); // 0
 * ```
 */
export class SessionManager {
  readonly #sessions = new Map<number, CoreSession>();
  /** Where ids come from (cellnet's `curID`). */
  readonly #ids: SessionIdSource;

  /** A manager taking ids from `ids`, or from a counter of its own. */
  constructor(ids: SessionIdSource = new SessionIdCounter()) {
    this.#ids = ids;
  }

  /**
   * Set the last id handed out, as cellnet's `SetIDBase`: after
   * `setIdBase(1000)` the next session is 1001. 0 (the default) is legal.
   * Used to keep ids distinct across peers or processes. With a shared id
   * source this sets the shared counter.
   */
  setIdBase(base: number): void {
    this.#ids.setIdBase(base);
  }

  /** Assign the next id to `session` and track it. */
  add(session: CoreSession): void {
    const id = this.#ids.nextId();
    session.assignId(id);
    this.#sessions.set(id, session);
  }

  /** Stop tracking `session` (its id is not reused). */
  remove(session: CoreSession): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
  }

  /** The live session with this id, or undefined. */
  getSession(id: number): Session | undefined {
    return this.#sessions.get(id);
  }

  /** The live session with this id as the implementation (peers use this), or undefined. */
  getCoreSession(id: number): CoreSession | undefined {
    return this.#sessions.get(id);
  }

  /** Call `callback` for each live session until it returns false. */
  visitSession(callback: (session: CoreSession) => boolean | void): void {
    for (const s of this.#sessions.values()) {
      if (callback(s) === false) return;
    }
  }

  /** Number of live sessions. */
  sessionCount(): number {
    return this.#sessions.size;
  }

  /** Close every live session (reason Manual). */
  closeAllSession(): void {
    for (const s of [...this.#sessions.values()]) s.close();
  }
}
