// Seeded fuzz of the receive path against a live acceptor on this runtime:
// random and mutated tcp.ltv streams (truncated headers, lengths past the
// body, huge lengths, unknown and system ids, codec bodies cut anywhere,
// random bytes) from many raw clients, each checked against a model of the
// framing; a well-behaved client on the same acceptor keeps getting correct
// echoes. The long run is `npm run fuzz -- --frames 1000000`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runFuzz } from "./_fuzz.ts";

const configs = [
  { seed: 20260101, maxPacketSize: 4096, useQueue: false },
  { seed: 20260102, maxPacketSize: 0, useQueue: true },
];

for (const c of configs) {
  test(
    `fuzz (seed ${c.seed}, maxPacketSize ${c.maxPacketSize}, ${
      c.useQueue ? "EventQueue" : "direct"
    }): bad sessions close with ProtocolError or IO, nothing escapes, the good session keeps its echoes`,
    { timeout: 60_000 },
    async () => {
      const r = await runFuzz({ ...c, frames: 25_000, concurrency: 16, maxValidFrames: 48 });
      assert.deepEqual(r.violations, [], `replay with seed ${c.seed}`);
      assert.ok(r.sessions > 100, `${r.sessions} sessions`);
      assert.ok(
        (r.closedBy.ProtocolError ?? 0) > 0 && (r.closedBy.IO ?? 0) > 0,
        JSON.stringify(r.closedBy),
      );
      assert.equal(
        Object.keys(r.closedBy).filter((k) => k !== "ProtocolError" && k !== "IO").length,
        0,
        JSON.stringify(r.closedBy),
      );
      assert.ok(r.echoes > 0 && r.goodReplies > 0);
    },
  );
}
