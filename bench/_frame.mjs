// The benchmark frame: tcp.ltv framing of main.TestEchoACK{Msg: 26 chars, Value: 1234},
// 36 bytes on the wire, exactly what cellnet-ts and Go cellnet encode.

/** StringHash("main.TestEchoACK"), as in examples/echo/proto.ts. */
export const ECHO_ID = 4673;
/** Bytes per frame. */
export const FRAME_SIZE = 36;
/** The Msg text (26 ASCII bytes, so the frame is 36 bytes). */
export const MSG = "abcdefghijklmnopqrstuvwxyz";
/** The Value field. */
export const VALUE = 1234;

/** Length | MsgID | u16 len + Msg | int32 Value, little-endian. */
export function encodeFrame() {
  const f = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(f.buffer);
  dv.setUint16(0, FRAME_SIZE - 2, true);
  dv.setUint16(2, ECHO_ID, true);
  dv.setUint16(4, MSG.length, true);
  for (let i = 0; i < MSG.length; i++) f[6 + i] = MSG.charCodeAt(i);
  dv.setInt32(6 + MSG.length, VALUE, true);
  return f;
}
