/**
 * An incremental UTF-8 validator: feed it a text message piece by piece (the
 * pieces may split a character anywhere) and it rejects at the first byte
 * that cannot be part of valid UTF-8, so a bad text message fails before the
 * rest of it arrives (RFC 6455 §8.1 lets an endpoint fail fast).
 *
 * Valid means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF),
 * nothing above U+10FFFF.
 *
 * @module
 */

/** Validates UTF-8 across calls; {@link Utf8Validator.complete} tells if a character is cut off. */
export class Utf8Validator {
  /** Continuation bytes the current character still needs. */
  #need = 0;
  /** Allowed range of the next continuation byte (narrower right after E0, ED, F0 and F4). */
  #lo = 0x80;
  #hi = 0xbf;

  /**
   * Check `bytes[start..end)`, continuing from the previous call. Returns
   * false at the first invalid byte; the validator must then be reset.
   */
  update(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    let need = this.#need;
    let lo = this.#lo;
    let hi = this.#hi;
    let i = start;
    while (i < end) {
      const b = bytes[i++];
      if (need === 0) {
        if (b < 0x80) continue;
        if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
          need = 2;
          // E0 A0..BF: no overlong 3-byte forms; ED 80..9F: no surrogates.
          if (b === 0xe0) lo = 0xa0;
          else if (b === 0xed) hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          need = 3;
          // F0 90..BF: no overlong 4-byte forms; F4 80..8F: nothing above U+10FFFF.
          if (b === 0xf0) lo = 0x90;
          else if (b === 0xf4) hi = 0x8f;
        } else {
          // 80..C1 (stray continuation, overlong 2-byte lead) and F5..FF.
          this.#need = need;
          return false;
        }
        continue;
      }
      if (b < lo || b > hi) {
        this.#need = need;
        return false;
      }
      lo = 0x80;
      hi = 0xbf;
      need--;
    }
    this.#need = need;
    this.#lo = lo;
    this.#hi = hi;
    return true;
  }

  /** True when no character is left half-read: the text may end here. */
  get complete(): boolean {
    return this.#need === 0;
  }

  /** Start over for a new text. */
  reset(): void {
    this.#need = 0;
    this.#lo = 0x80;
    this.#hi = 0xbf;
  }
}

/** Whether `bytes` is one complete, valid UTF-8 text. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const v = new Utf8Validator();
  return v.update(bytes) && v.complete;
}
