/**
 * RFC 6455 constants shared by the frame parser, the frame writer and the
 * connection: opcodes, close codes, and which close codes may travel.
 *
 * @module
 */

/** Frame opcodes (RFC 6455 §5.2). */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Close codes this implementation sends or interprets (RFC 6455 §7.4.1). */
export const CloseCode = {
  /** The purpose of the connection was fulfilled. */
  normal: 1000,
  /** The endpoint goes away: a server stopping, a page navigated off. */
  goingAway: 1001,
  /** The peer broke the protocol. */
  protocolError: 1002,
  /** A message of a type this endpoint does not accept (text, here by default). */
  unsupportedData: 1003,
  /** Reserved: the close frame carried no code. Never sent. */
  noStatus: 1005,
  /** Reserved: the connection ended without a close frame. Never sent. */
  abnormal: 1006,
  /** A text message (or close reason) that is not valid UTF-8. */
  invalidPayload: 1007,
  /** A message that breaks this endpoint's policy (here: too many fragments). */
  policyViolation: 1008,
  /** A message over the size limit. */
  messageTooBig: 1009,
  /** The server hit an unexpected condition. */
  internalError: 1011,
} as const;

/** The GUID every accept key is derived with (RFC 6455 §1.3). */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** Largest payload of a control frame (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

/** Largest close reason in UTF-8 bytes: a control payload less the 2-byte code. */
export const MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

/**
 * Whether a close frame may carry `code` (RFC 6455 §7.4): the defined codes
 * except the reserved 1004, 1005, 1006 and 1015, the IANA-registered
 * 1012..1014, and the 3000..4999 range for libraries and applications.
 */
export function isValidCloseCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  if (code >= 1000 && code <= 1003) return true;
  return code >= 1007 && code <= 1014;
}
