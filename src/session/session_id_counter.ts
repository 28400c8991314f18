/**
 * Where session ids come from. Each peer has its own counter unless it is
 * given one to share (`PeerOptions.sessionIds`): peers that share a counter
 * hand out ids that never collide, so a TCP acceptor and a WebSocket
 * acceptor serving one chat room can key their users by session id alone.
 *
 * @module
 */

/** Hands out session ids; see {@link SessionIdCounter}. */
export interface SessionIdSource {
  /** The next id: every call returns a new one, greater than the last. */
  nextId(): number;
  /** Set the last id handed out: after `setIdBase(1000)` the next is 1001. */
  setIdBase(base: number): void;
}

/**
 * The session id counter (cellnet's `curID`): 1, 2, 3..., or `base + 1`
 * onwards after {@link SessionIdCounter.setIdBase}. Pass one instance as
 * `sessionIds` to several peers and their ids are distinct across all of them.
 *
 * @example A TCP and a WebSocket acceptor with one id space
 * ```ts
 * import { gorillaws, SessionIdCounter, tcp } from "@cellnet/cellnet";
 * const sessionIds = new SessionIdCounter();
 * const tcpServer = new tcp.Acceptor({ address: "127.0.0.1:0", sessionIds });
 * const wsServer = new gorillaws.Acceptor({ address: "http://127.0.0.1:0/chat", sessionIds });
 * console.log(sessionIds.nextId(), tcpServer.typeName, wsServer.typeName); // 1 ...
 * ```
 */
export class SessionIdCounter implements SessionIdSource {
  #last = 0;

  /** Start after `base` (default 0: the first id is 1). */
  constructor(base = 0) {
    this.setIdBase(base);
  }

  /** The last id handed out (0 before the first). */
  get lastId(): number {
    return this.#last;
  }

  /** The next id. */
  nextId(): number {
    return ++this.#last;
  }

  /**
   * Set the last id handed out, as cellnet's `SetIDBase`.
   *
   * @throws {RangeError} unless `base` is a safe integer >= 0.
   */
  setIdBase(base: number): void {
    if (!Number.isSafeInteger(base) || base < 0) {
      throw new RangeError(`id base must be an integer >= 0, got ${base}`);
    }
    this.#last = base;
  }
}
