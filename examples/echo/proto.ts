/**
 * The echo message of cellnet's examples/echo and benchmark, same name and
 * layout, so the id is 4673 and the body matches Go's binary codec.
 *
 * @module
 */
import { defineMessage, type MessageOf, t } from "../../mod.ts";

/** Go: `type TestEchoACK struct { Msg string; Value int32 }`. */
export const TestEchoACK = defineMessage("main.TestEchoACK", { Msg: t.string, Value: t.int32 });
/** The instance type of {@link TestEchoACK}. */
export type TestEchoACK = MessageOf<typeof TestEchoACK>;

/** Default address of the echo server. */
export const DEFAULT_ECHO_ADDRESS = "127.0.0.1:17701";
