/**
 * The close code a session gives a connection that carries one
 * (`Connection.closeWith`, WebSocket), so the remote side learns why:
 * RFC 6455 §7.4.1's numbers.
 *
 * @module
 */
import { PacketTooLargeError, WebSocketProtocolError } from "../errors.ts";
import { CloseReason } from "../message/close_reason.ts";

/** RFC 6455: the endpoint is going away (a server stopping, a page left). */
export const CLOSE_GOING_AWAY = 1001;
const INVALID_PAYLOAD = 1007;
const POLICY_VIOLATION = 1008;
const MESSAGE_TOO_BIG = 1009;
/** A close frame's reason fits in 123 bytes (125 minus the code). */
const MAX_REASON_BYTES = 123;
const encoder = new TextEncoder();

/**
 * The code for a graceful close of `reason`, or undefined for a plain
 * `close(true)` (1000): a message that breaks the processor's format gets
 * 1007 (1009 when too big), a refused rate gets 1008. A WebSocket-level
 * violation was answered by the WebSocket layer itself.
 */
export function closeCodeFor(reason: CloseReason, error: Error | undefined): number | undefined {
  if (reason === CloseReason.ProtocolError) {
    if (error instanceof WebSocketProtocolError) return undefined;
    return error instanceof PacketTooLargeError ? MESSAGE_TOO_BIG : INVALID_PAYLOAD;
  }
  if (reason === CloseReason.Limit) return POLICY_VIOLATION;
  return undefined;
}

/** `text` cut to at most 123 UTF-8 bytes, at a character boundary. */
export function closeReasonText(text: string): string {
  if (text.length <= MAX_REASON_BYTES / 3) return text;
  const bytes = encoder.encode(text);
  if (bytes.length <= MAX_REASON_BYTES) return text;
  let end = MAX_REASON_BYTES;
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
