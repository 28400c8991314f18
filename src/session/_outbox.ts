/**
 * The write policy of a session, chosen from `Connection.messageOriented`:
 * a byte stream (TCP) coalesces every queued frame into one write; a
 * message-oriented connection (WebSocket, UDP) needs one `write` per
 * message, because each write is one message on the wire, unless it offers
 * `writeMessages` (WebSocket), which takes them all at once.
 *
 * @module
 */
import { ByteWriter } from "../codec/byte_writer.ts";
import type { Connection } from "../transport/transport.ts";

/** A session's queue of encoded, unsent messages. */
export interface Outbox {
  /** Messages are appended here by the transmitter. */
  readonly out: ByteWriter;
  /** The message appended since `start` is complete. */
  commit(start: number): void;
  /** Drop the message appended since `start` (it failed to encode or was refused). */
  rollback(start: number): void;
  /** Hand everything queued to `conn`; false when the connection is backpressured. */
  flush(conn: Connection): boolean;
  /** Forget what is queued. */
  clear(): void;
}

/** Byte stream: everything queued leaves in one write. */
class StreamOutbox implements Outbox {
  readonly out: ByteWriter = new ByteWriter(256);
  commit(_start: number): void {}
  rollback(start: number): void {
    this.out.pos = start;
  }
  flush(conn: Connection): boolean {
    const ok = conn.write(this.out.view());
    this.out.reset();
    return ok;
  }
  clear(): void {
    this.out.reset();
  }
}

/**
 * Message-oriented: one write per message, from the same buffer (no copy per
 * message). Also what a session queues into before it has a connection,
 * since only this kind keeps the message boundaries either kind needs.
 */
export class MessageOutbox implements Outbox {
  readonly out: ByteWriter = new ByteWriter(256);
  /** End offset of each committed message, in order. */
  #ends: number[] = [];
  commit(_start: number): void {
    this.#ends.push(this.out.pos);
  }
  rollback(start: number): void {
    this.out.pos = start;
  }
  flush(conn: Connection): boolean {
    const view = this.out.view();
    const ends = this.#ends;
    if (conn.writeMessages !== undefined) {
      // The transport frames them side by side into one write (WebSocket).
      const ok = ends.length > 0 ? conn.writeMessages(view, ends) : true;
      ends.length = 0;
      this.out.reset();
      return ok;
    }
    let ok = true;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      // Every write is accepted (the connection queues it); false only says "slow down".
      ok = conn.write(view.subarray(start, ends[i])) && ok;
      start = ends[i];
    }
    ends.length = 0;
    this.out.reset();
    return ok;
  }
  clear(): void {
    this.#ends.length = 0;
    this.out.reset();
  }
  /** Move every queued message, in order, to `target` (a connection was attached). */
  moveTo(target: Outbox): void {
    const view = this.out.view();
    let start = 0;
    for (const end of this.#ends) {
      const at = target.out.pos;
      target.out.bytes(view.subarray(start, end));
      target.commit(at);
      start = end;
    }
    this.clear();
  }
}

/** The outbox for a connection. */
export function newOutbox(messageOriented: boolean): Outbox {
  return messageOriented ? new MessageOutbox() : new StreamOutbox();
}
