/**
 * The echo message of cellnet's examples/echo and benchmark, same name and
 * layout, so the id is 4673 and the body matches Go's binary codec.
 *
 * @module
 */
import { defineMessage, type MessageOf, msglog, t } from "../../mod.ts";

/** Go: `type TestEchoACK struct { Msg string; Value int32 }`. */
export const TestEchoACK = defineMessage("main.TestEchoACK", { Msg: t.string, Value: t.int32 });
/** The instance type of {@link TestEchoACK}. */
export type TestEchoACK = MessageOf<typeof TestEchoACK>;

// Go's example gives it `String() string { return fmt.Sprintf("%+v", *self) }`,
// so the message log prints `{Msg:hello Value:1234}` as cellnet's does.
TestEchoACK.prototype.toString = function (this: TestEchoACK): string {
  return msglog.valueText(this);
};

/** Default address of the echo server. */
export const DEFAULT_ECHO_ADDRESS = "127.0.0.1:17701";
