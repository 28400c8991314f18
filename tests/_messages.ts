// Message types shared by the tests. Defined once here: Bun runs every test
// file in one process, and a name can be registered only once.
import { defineMessage, type MessageOf, t } from "../mod.ts";

export { ChatACK, ChatREQ } from "../examples/chat/proto.ts";
export { TestEchoACK } from "../examples/echo/proto.ts";

/** A message with a string and a number, for session tests. */
export const Ping = defineMessage("test.Ping", { Text: t.string, Seq: t.int32 });
export type Ping = MessageOf<typeof Ping>;

/** The binary body of `test.Ping{Text, Seq}`: uint16 LE length, UTF-8 text, int32 LE. */
export function pingBody(text: string, seq: number): Uint8Array {
  const t = new TextEncoder().encode(text);
  const b = new Uint8Array(2 + t.length + 4);
  const v = new DataView(b.buffer);
  v.setUint16(0, t.length, true);
  b.set(t, 2);
  v.setInt32(2 + t.length, seq, true);
  return b;
}

/** A message with a slice, for codec-error paths on the wire. */
export const Batch = defineMessage("test.Batch", { Items: t.slice(t.string) });
export type Batch = MessageOf<typeof Batch>;

/** A json-coded message. */
export const JsonNote = defineMessage("test.JsonNote", { Msg: t.string, Value: t.int32 }, {
  codec: "json",
});
export type JsonNote = MessageOf<typeof JsonNote>;
