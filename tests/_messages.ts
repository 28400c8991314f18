// Message types shared by the tests. Defined once here: Bun runs every test
// file in one process, and a name can be registered only once.
import { defineMessage, type MessageOf, t } from "../mod.ts";

export { ChatACK, ChatREQ } from "../examples/chat/proto.ts";
export { TestEchoACK } from "../examples/echo/proto.ts";

/** A message with a string and a number, for session tests. */
export const Ping = defineMessage("test.Ping", { Text: t.string, Seq: t.int32 });
export type Ping = MessageOf<typeof Ping>;

/** A message with a slice, for codec-error paths on the wire. */
export const Batch = defineMessage("test.Batch", { Items: t.slice(t.string) });
export type Batch = MessageOf<typeof Batch>;

/** A json-coded message. */
export const JsonNote = defineMessage("test.JsonNote", { Msg: t.string, Value: t.int32 }, { codec: "json" });
export type JsonNote = MessageOf<typeof JsonNote>;
