/**
 * cellnet's own protoplus messages: the rpc envelopes `rpc.RemoteCallREQ` /
 * `rpc.RemoteCallACK` and relay's `relay.RelayACK` [cellnet `rpc/msg.proto`,
 * `relay/msg.proto`], with their field order (= protoplus field index) and
 * ids exactly as cellnet registers them.
 *
 * Their ids are not `stringHash(name)`: the protoplus generator hashes
 * package and type name without the dot, e.g. `stringHash("rpcRemoteCallREQ")`
 * = 58645.
 *
 * Importing this module registers the three messages (and the protoplus codec).
 *
 * @module
 */
import "../codec/protoplus.ts";
import { type FieldType, t } from "../codec/field.ts";
import { defineMessage, type MessageClass, type MessageOf } from "./define.ts";

/** The fields of `rpc.RemoteCallREQ` and `rpc.RemoteCallACK`, in protoplus index order. */
export type RemoteCallFields = {
  /** Index 0: the inner message's id. */
  readonly MsgID: FieldType<number>;
  /** Index 1: the inner message's body, in its own codec. */
  readonly Data: FieldType<Uint8Array>;
  /** Index 2: the call number the reply echoes. */
  readonly CallID: FieldType<bigint>;
};

/** The fields of `relay.RelayACK`, in protoplus index order. */
export type RelayACKFields = {
  /** Index 0: the relayed message's body, in its own codec. */
  readonly Msg: FieldType<Uint8Array>;
  /** Index 1: the relayed message's id; 0 means none. */
  readonly MsgID: FieldType<number>;
  /** Index 2: a raw payload. */
  readonly Bytes: FieldType<Uint8Array>;
  /** Index 3: pass-through int64 (a negative one is Fixed64 on the wire). */
  readonly Int64: FieldType<bigint>;
  /** Index 4: pass-through int64s (negative ones are 10-byte varints). */
  readonly Int64Slice: FieldType<bigint[]>;
  /** Index 5: pass-through string. */
  readonly Str: FieldType<string>;
};

const envelope: RemoteCallFields = { MsgID: t.uint32, Data: t.bytes, CallID: t.int64 };

/**
 * An rpc request: `MsgID` and `Data` are the inner message's id and body (in
 * its own codec), `CallID` the caller's process-wide call number. Id 58645.
 *
 * @example A request envelope
 * ```ts
 * import { RemoteCallREQ } from "@cellnet/cellnet";
 * const req = new RemoteCallREQ({ MsgID: 4673, Data: new Uint8Array([5, 0]), CallID: 1n });
 * console.log(RemoteCallREQ.meta.id); // 58645
 * ```
 */
export const RemoteCallREQ: MessageClass<RemoteCallFields> = defineMessage(
  "rpc.RemoteCallREQ",
  envelope,
  { codec: "protoplus", id: 58645 },
);
/** An `rpc.RemoteCallREQ` instance. */
export type RemoteCallREQ = MessageOf<typeof RemoteCallREQ>;

/**
 * An rpc reply: the inner reply message's id and body, and the `CallID` of
 * the request it answers. Id 20476.
 *
 * @example A reply envelope
 * ```ts
 * import { RemoteCallACK } from "@cellnet/cellnet";
 * const ack = new RemoteCallACK({ MsgID: 4673, CallID: 1n });
 * console.log(RemoteCallACK.meta.id); // 20476
 * ```
 */
export const RemoteCallACK: MessageClass<RemoteCallFields> = defineMessage(
  "rpc.RemoteCallACK",
  envelope,
  { codec: "protoplus", id: 20476 },
);
/** An `rpc.RemoteCallACK` instance. */
export type RemoteCallACK = MessageOf<typeof RemoteCallACK>;

/**
 * A relayed message: `Msg` / `MsgID` the inner message (MsgID 0: none),
 * `Bytes` a raw payload, and the pass-through values `Int64`, `Int64Slice`
 * and `Str`. Id 45545.
 *
 * @example A relay envelope with a pass-through id
 * ```ts
 * import { RelayACK } from "@cellnet/cellnet";
 * const relay = new RelayACK({ Int64: 10001n, Str: "route:hall" });
 * console.log(RelayACK.meta.id); // 45545
 * ```
 */
export const RelayACK: MessageClass<RelayACKFields> = defineMessage(
  "relay.RelayACK",
  {
    Msg: t.bytes,
    MsgID: t.uint32,
    Bytes: t.bytes,
    Int64: t.int64,
    Int64Slice: t.slice(t.int64),
    Str: t.string,
  },
  { codec: "protoplus", id: 45545 },
);
/** A `relay.RelayACK` instance. */
export type RelayACK = MessageOf<typeof RelayACK>;
