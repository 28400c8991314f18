/**
 * The bytes an adapter holds for a socket that has not taken them yet, in
 * one reused buffer instead of a copy per write.
 *
 * @module
 */

/** First allocation; the buffer doubles from here as needed. */
const MIN_CAPACITY = 4 * 1024;
/**
 * A buffer up to this size is kept for reuse when the queue empties; a
 * bigger one (left by a burst) is released, so an idle connection does not
 * pin its peak.
 */
const KEEP_CAPACITY = 64 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * A FIFO of bytes: {@link push} copies in at the back, {@link view} and
 * {@link consume} take from the front. Allocates only to grow; the buffer is
 * compacted in place, so the queue must not be pushed to while a {@link view}
 * is still being read by the runtime (Deno keeps a second queue for that).
 */
export class ByteQueue {
  #buf: Uint8Array = EMPTY;
  #start = 0;
  #end = 0;

  /** Bytes queued. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Copy `data` to the back. */
  push(data: Uint8Array): void {
    const n = data.byteLength;
    if (this.#end + n > this.#buf.length) this.#makeRoom(n);
    this.#buf.set(data, this.#end);
    this.#end += n;
  }

  /** The queued bytes, oldest first: a view, valid until the next push or consume. */
  view(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  /** Drop `n` bytes from the front (they were written). */
  consume(n: number): void {
    this.#start += n;
    if (this.#start >= this.#end) this.clear();
  }

  /** Drop everything. */
  clear(): void {
    this.#start = this.#end = 0;
    if (this.#buf.length > KEEP_CAPACITY) this.#buf = EMPTY;
  }

  #makeRoom(n: number): void {
    const live = this.#end - this.#start;
    const buf = this.#buf;
    // Slide the live bytes to the front when that makes room and costs no
    // more than the bytes consumed since the last slide (amortised O(1) per
    // byte); otherwise grow.
    if (live + n <= buf.length && live <= this.#start) {
      buf.copyWithin(0, this.#start, this.#end);
    } else {
      let capacity = Math.max(MIN_CAPACITY, buf.length * 2);
      while (capacity < live + n) capacity *= 2;
      const next = new Uint8Array(capacity);
      next.set(buf.subarray(this.#start, this.#end));
      this.#buf = next;
    }
    this.#start = 0;
    this.#end = live;
  }
}
