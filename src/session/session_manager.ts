/**
 * `SessionManager`: the sessions of one peer by id (cellnet's `peer.SessionManager`).
 *
 * @module
 */
import type { Session } from "./session.ts";

/**
 * Holds a peer's live sessions and hands out their ids, starting at 1.
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
  readonly #sessions = new Map<number, Session>();
  #nextId = 1;

  /** Set the next id to hand out (cellnet's `SetIDBase`), e.g. to keep ids unique across processes. */
  setIdBase(base: number): void {
    if (!Number.isSafeInteger(base) || base < 1) throw new RangeError(`id base must be an integer >= 1, got ${base}`);
    this.#nextId = base;
  }

  /** Assign the next id to `session` and track it. */
  add(session: Session): void {
    session.id = this.#nextId++;
    this.#sessions.set(session.id, session);
  }

  /** Stop tracking `session` (its id is not reused). */
  remove(session: Session): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
  }

  /** The live session with this id, or undefined. */
  getSession(id: number): Session | undefined {
    return this.#sessions.get(id);
  }

  /** Call `callback` for each live session until it returns false. */
  visitSession(callback: (session: Session) => boolean | void): void {
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
