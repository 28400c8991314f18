// The rpc, relay and msglog parts of the shared cellnet-ext.json vectors.
import { readFileSync } from "node:fs";

export interface EnvelopeVector {
  label: string;
  message: string;
  direction: string;
  value: { MsgID: number; Data: string; CallID: string };
  inner: { message: string; value: { Msg: string; Value: number }; bodyHex: string };
  frameHex: string;
}

export interface RelayVector {
  label: string;
  relayCall?: string;
  value: {
    Msg: string;
    MsgID: number;
    Bytes: string;
    Int64: string;
    Int64Slice: string[];
    Str: string;
  };
  inner?: { value: { Msg: string; Value: number } };
  frameHex: string;
  receivedAs?: {
    "Message()": string | null;
    "PassThroughAsInt64()": string;
    "PassThroughAsInt64Slice()": string[];
    "PassThroughAsString()": string;
  };
  msglog?: string[];
}

export interface Ext {
  rpc: EnvelopeVector[];
  rpcTyped: { label: string; value: { Msg: string; Value: number }; frameHex: string }[];
  rpcBehaviour: { label: string; frameHex?: string; serverLog?: string[] }[];
  relay: RelayVector[];
  relayBehaviour: { label: string; frameHex?: string; serverLog?: string[] }[];
  msglog: {
    lines: { label: string; lines: string[] }[];
    modes: { step: string; linesShown: string[] }[];
    rules: { call: string; err: string; matchCount?: number }[];
  };
}

export const ext: Ext = JSON.parse(
  readFileSync(new URL("./fixtures/cellnet-ext.json", import.meta.url), "utf8"),
);
