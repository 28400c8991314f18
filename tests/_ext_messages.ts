// Messages of the rpc/relay/msglog vectors beyond TestEchoACK (registered
// once: Bun runs every test file in one process).
import { defineMessage, type MessageOf, t } from "../mod.ts";

/** Go: `type PlainACK struct { Text string; N int32 }`, no String() (msglog's %+v fallback). */
export const PlainACK = defineMessage("main.PlainACK", { Text: t.string, N: t.int32 });
export type PlainACK = MessageOf<typeof PlainACK>;

export { TestEchoACK } from "../examples/echo/proto.ts";
