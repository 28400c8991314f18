import { test } from "node:test";
import assert from "node:assert/strict";
import {
  binaryCodec,
  ByteWriter,
  defineMessage,
  messageMetaByFullName,
  messageMetaById,
  messageMetaByMsg,
  messageMetaByType,
  MessageRegistrationError,
  registerMessageMeta,
  SessionClosed,
  stringHash,
  t,
} from "../mod.ts";
import { messageClass } from "../src/message/_message_class.ts";
import { Batch, ChatREQ, TestEchoACK } from "./_messages.ts";

test("defineMessage registers id = StringHash(name) with the binary codec", () => {
  assert.equal(ChatREQ.meta.id, 16234);
  assert.equal(TestEchoACK.meta.id, 4673);
  assert.equal(ChatREQ.meta.codec.name, "binary");
  assert.equal(messageMetaById(16234), ChatREQ.meta);
  assert.equal(messageMetaByFullName("proto.ChatREQ"), ChatREQ.meta);
  assert.equal(messageMetaByType(ChatREQ), ChatREQ.meta);
  assert.equal(messageMetaByMsg(new ChatREQ({ Content: "x" })), ChatREQ.meta);
});

test("new Message() fills zero values and takes the given fields", () => {
  const m = new TestEchoACK({ Msg: "hi" });
  assert.equal(m.Msg, "hi");
  assert.equal(m.Value, 0);
  assert.ok(m instanceof TestEchoACK);
});

test("registration rejects id 0", () => {
  assert.throws(
    () => defineMessage("meta.Zero", {}, { id: 0 }),
    (e: Error) =>
      e instanceof MessageRegistrationError && /id must be 1\.\.65535, got 0/.test(e.message),
  );
  // "" hashes to 0.
  assert.equal(stringHash(""), 0);
  assert.throws(() => defineMessage("", {}), MessageRegistrationError);
});

test("registration rejects a duplicate id and names both messages", () => {
  assert.throws(
    () => defineMessage("meta.Clash", { A: t.int32 }, { id: 16234 }),
    (e: Error) =>
      e instanceof MessageRegistrationError && e.message.includes("meta.Clash") &&
      e.message.includes("proto.ChatREQ"),
  );
});

test("registration rejects a duplicate name", () => {
  assert.throws(
    () => defineMessage("proto.ChatREQ", { Content: t.string }, { id: 999 }),
    (e: Error) => e instanceof MessageRegistrationError && e.message.includes("proto.ChatREQ"),
  );
});

test("system event ids are reserved", () => {
  assert.equal(messageMetaById(40147)?.type, SessionClosed);
  assert.equal(messageMetaById(40147)?.system, true);
  assert.throws(
    () => defineMessage("meta.FakeClosed", {}, { id: 40147 }),
    /cellnet\.SessionClosed/,
  );
});

test("a user class registers with the json codec", () => {
  class Note {
    Msg = "";
    Value = 0;
  }
  const meta = registerMessageMeta({ name: "meta.Note", type: Note, codec: "json" });
  assert.equal(meta.codec.name, "json");
  assert.equal(messageMetaByMsg(new Note()), meta);
  class SubNote extends Note {}
  assert.equal(messageMetaByMsg(new SubNote()), undefined, "a subclass is not the registered type");
});

test("each instance gets its own mutable zero values", () => {
  const a = new Batch();
  const b = new Batch();
  assert.deepEqual(a.Items, []);
  assert.notEqual(a.Items, b.Items);
  const given = new Batch({ Items: ["x"] });
  assert.deepEqual(given.Items, ["x"]);
});

test("message classes work where code generation is forbidden (CSP): the loop fallback", () => {
  const fields = { S: t.string, N: t.int32, B: t.int64, L: t.slice(t.int8), Z: t.bool };
  const fast = new (messageClass(fields))({ S: "s" });
  const realFunction = globalThis.Function;
  let blocked = 0;
  (globalThis as { Function: unknown }).Function = function () {
    blocked++;
    throw new EvalError("code generation from strings disallowed for this context");
  };
  let slowCtor;
  try {
    slowCtor = messageClass(fields);
  } finally {
    (globalThis as { Function: unknown }).Function = realFunction;
  }
  assert.equal(blocked, 1);
  const slow = new slowCtor({ S: "s" });
  assert.deepEqual({ ...slow }, { ...fast });
  assert.deepEqual(Object.keys(slow), ["S", "N", "B", "L", "Z"]);
  assert.deepEqual({ ...fast }, { S: "s", N: 0, B: 0n, L: [], Z: false });
});

test("the binary codec works where code generation is forbidden (CSP): the loop fallback", () => {
  const fields = {
    Head: t.struct({ X: t.int32, Y: t.int32 }),
    Name: t.string,
    L: t.slice(t.int64),
  };
  const shape = { name: "csp.Msg", fields, create: () => ({}) };
  const realFunction = globalThis.Function;
  let blocked = 0;
  (globalThis as { Function: unknown }).Function = function () {
    blocked++;
    throw new EvalError("code generation from strings disallowed for this context");
  };
  let slow;
  try {
    slow = binaryCodec.bind(shape);
  } finally {
    (globalThis as { Function: unknown }).Function = realFunction;
  }
  assert.ok(blocked >= 2, "both the encoder and the decoder tried code generation");
  const fast = binaryCodec.bind(shape);
  const value = { Head: { X: 1, Y: -2 }, Name: "csp", L: [3n, -4n] };
  const a = new ByteWriter();
  const b = new ByteWriter();
  slow.encode(value, a);
  fast.encode(value, b);
  assert.deepEqual(a.view(), b.view());
  assert.deepEqual(slow.decode(a.view()), value);
  assert.deepEqual(fast.decode(b.view()), value);
});
