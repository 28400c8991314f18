// Built from examples/chat/web/app.ts by `node scripts/build-web.mjs`; do not edit.
var __defProp = Object.defineProperty;
var __export = (target2, all) => {
  for (var name in all)
    __defProp(target2, name, { get: all[name], enumerable: true });
};

// src/errors.ts
var CellnetError = class extends Error {
  /**
   * The operating system's error code (`"ECONNREFUSED"`, `"EADDRINUSE"`,
   * `"ECONNRESET"`...) when the error comes from the OS, the same on every
   * runtime; undefined otherwise. The runtime's own error is the `cause`.
   * The WebSocket errors carry their close code (a number) here instead.
   */
  code;
  /** Create an error; `options.cause` and `options.code` are kept. */
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = options?.code;
  }
};
var ProtocolError = class extends CellnetError {
};
var UnknownMessageError = class extends ProtocolError {
  /** The id found on the wire. */
  messageId;
  /** Create the error for `messageId`. */
  constructor(messageId, options) {
    super(`msg not exists, '${messageId}'`, options);
    this.messageId = messageId;
  }
};
var PacketTooLargeError = class extends ProtocolError {
};
var DecodeError = class extends ProtocolError {
};
var EncodeError = class extends CellnetError {
};
var MessageRegistrationError = class extends CellnetError {
};
var UnregisteredMessageError = class extends CellnetError {
};
var SlowConsumerError = class extends CellnetError {
};
var TimeoutError = class extends CellnetError {
};
var ConnectError = class extends CellnetError {
};
var NetworkError = class extends CellnetError {
};
var LimitError = class extends CellnetError {
};
var RuntimeNotSupportedError = class extends CellnetError {
};
var NotRegisteredError = class extends CellnetError {
};
var WebSocketProtocolError = class extends ProtocolError {
  /** The close code sent to the peer: 1002, 1003, 1007, 1008 or 1009. */
  code;
  /** Create the error for close `code`. */
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
  }
};
var WebSocketCloseError = class extends CellnetError {
  /** The close code the peer sent. */
  code;
  /** The close reason the peer sent ("" when none). */
  reason;
  /** Create the error for the peer's `code` and `reason`. */
  constructor(code, reason, options) {
    super(`websocket closed by the peer with ${code}${reason ? ` (${reason})` : ""}`, options);
    this.code = code;
    this.reason = reason;
  }
};
var RpcSessionClosedError = class extends CellnetError {
};

// src/transport/runtime.ts
function detectRuntime() {
  const g = globalThis;
  if (typeof g.Deno?.version?.deno === "string") return "deno";
  if (typeof g.Bun?.version === "string") return "bun";
  if (typeof g.process?.versions?.node === "string") return "node";
  return void 0;
}

// src/transport/registry.ts
var families = /* @__PURE__ */ new Map();
var loaders = /* @__PURE__ */ new Map();
var loaded = /* @__PURE__ */ new Map();
var key = (protocol, runtime) => `${protocol}/${runtime}`;
function registerProtocol(family) {
  families.set(family.name, family);
}
function protocolFamily(name) {
  const family = families.get(name);
  if (!family) {
    throw new NotRegisteredError(
      `protocol not registered: '${name}' (known: ${[...families.keys()].join(", ") || "none"})`
    );
  }
  return family;
}
function registerTransport(protocol, runtime, loader) {
  loaders.set(key(protocol, runtime), loader);
  loaded.delete(key(protocol, runtime));
}
function registeredTransports() {
  return [...loaders.keys()].map((k) => k.split("/"));
}
function loadTransport(which, protocol = "tcp") {
  if (typeof which === "object" && which !== null) return Promise.resolve(which);
  const runtime = which ?? detectRuntime() ?? "browser";
  const k = key(protocol, runtime);
  let loading = loaded.get(k);
  if (loading !== void 0) return loading;
  const loader = loaders.get(k);
  if (loader === void 0) {
    const known = registeredTransports().map(([p, r]) => `${p}/${r}`).join(", ") || "none";
    return Promise.reject(
      new RuntimeNotSupportedError(
        `no ${protocol} transport registered for "${runtime}" (registered: ${known}); import the main entry or the runtime's entry (./node, ./deno, ./bun), or pass a transport`
      )
    );
  }
  loading = loader().catch((err) => {
    loaded.delete(k);
    if (err instanceof RuntimeNotSupportedError) throw err;
    throw new RuntimeNotSupportedError(`the ${runtime} ${protocol} transport failed to load`, {
      cause: err
    });
  });
  loaded.set(k, loading);
  return loading;
}

// src/transport/ws/browser.ts
var HIGH_WATER = 64 * 1024;
var DRAIN_POLL_MS = 10;
function webSocketCtor() {
  const ctor = globalThis.WebSocket;
  if (typeof ctor !== "function") {
    throw new RuntimeNotSupportedError("the browser ws transport needs the global WebSocket");
  }
  return ctor;
}
function webSocketUrl(o) {
  const secure = o.scheme === "wss" || o.scheme === "https";
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  return `${secure ? "wss" : "ws"}://${host}:${o.port}${o.path || "/"}`;
}
var BrowserWebSocketConnection = class {
  localAddress = { host: "", port: 0 };
  remoteAddress;
  messageOriented = true;
  #ws;
  #handler;
  /** Messages that came before the handler was set. */
  #early = [];
  #closed = false;
  #closeError;
  #closeDelivered = false;
  #drainTimer;
  #pollDrain = () => this.#checkDrain();
  constructor(ws, remote) {
    this.#ws = ws;
    this.remoteAddress = remote;
    ws.onmessage = (ev) => this.#onMessage(ev.data);
    ws.onclose = (ev) => this.#onClose(ev.code, ev.reason);
    ws.onerror = () => {
      this.#closeError ??= new NetworkError(`websocket to ${remote.host}:${remote.port} failed`);
    };
  }
  get bufferedAmount() {
    return this.#closed ? 0 : this.#ws.bufferedAmount;
  }
  setHandler(handler) {
    const first = this.#handler === void 0;
    this.#handler = handler;
    if (!first) return;
    queueMicrotask(() => {
      const early = this.#early;
      this.#early = void 0;
      if (early) {
        for (const m of early) if (!this.#closeDelivered) handler.onData(m);
      }
      if (this.#closed) this.#deliverClose();
    });
  }
  write(data) {
    if (this.#closed) return false;
    this.#ws.send(data.slice());
    if (this.#ws.bufferedAmount < HIGH_WATER) return true;
    this.#drainTimer ??= setTimeout(this.#pollDrain, DRAIN_POLL_MS);
    return false;
  }
  setNoDelay(_noDelay) {
  }
  close(graceful = true) {
    if (this.#closed) return;
    try {
      this.#ws.close(1e3, graceful ? "" : "closed");
    } catch {
    }
    if (!graceful) this.#onClose(1e3, "");
  }
  #onMessage(data) {
    if (this.#closed) return;
    if (!(data instanceof ArrayBuffer)) {
      this.#closeError = new WebSocketProtocolError(
        1003,
        "websocket: text message: gorillaws.ltv carries binary messages only"
      );
      try {
        this.#ws.close(4003, "binary messages only");
      } catch {
      }
      this.#onClose(4003, "");
      return;
    }
    const bytes = new Uint8Array(data);
    if (this.#early) this.#early.push(bytes);
    else this.#handler?.onData(bytes);
  }
  #checkDrain() {
    this.#drainTimer = void 0;
    if (this.#closed) return;
    if (this.#ws.bufferedAmount > 0) {
      this.#drainTimer = setTimeout(this.#pollDrain, DRAIN_POLL_MS);
      return;
    }
    this.#handler?.onDrain();
  }
  #onClose(code, reason) {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#drainTimer !== void 0) clearTimeout(this.#drainTimer);
    if (this.#closeError === void 0 && code !== 1e3 && code !== 1001 && code !== 1005) {
      this.#closeError = code === 1006 ? new NetworkError(
        `websocket to ${this.remoteAddress.host}:${this.remoteAddress.port} lost (1006)`
      ) : new WebSocketCloseError(code, reason);
    }
    if (this.#handler !== void 0 && this.#early === void 0) this.#deliverClose();
  }
  #deliverClose() {
    if (this.#closeDelivered) return;
    this.#closeDelivered = true;
    this.#handler?.onClose(this.#closeError);
  }
};
function connect(options) {
  let Ctor;
  try {
    Ctor = webSocketCtor();
  } catch (e) {
    return Promise.reject(e);
  }
  const url = webSocketUrl(options);
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new Ctor(url);
    } catch (e) {
      reject(
        new ConnectError(`connect to ${url} failed: ${e?.message ?? e}`, { cause: e })
      );
      return;
    }
    ws.binaryType = "arraybuffer";
    const timeoutMs = options.timeoutMs ?? 0;
    const timer = timeoutMs > 0 ? setTimeout(() => {
      settle();
      ws.close();
      reject(new TimeoutError(`connect to ${url} timed out after ${timeoutMs} ms`));
    }, timeoutMs) : void 0;
    const settle = () => {
      if (timer !== void 0) clearTimeout(timer);
      ws.onopen = ws.onerror = ws.onclose = null;
    };
    ws.onopen = () => {
      settle();
      resolve(new BrowserWebSocketConnection(ws, { host: options.host, port: options.port }));
    };
    ws.onerror = () => {
      settle();
      reject(new ConnectError(`connect to ${url} failed`));
    };
    ws.onclose = (ev) => {
      settle();
      reject(new ConnectError(`connect to ${url} failed: closed with ${ev.code}`));
    };
  });
}
var browserWebSocketTransport = {
  name: "browser-websocket",
  listen() {
    return Promise.reject(new RuntimeNotSupportedError("the browser ws transport cannot listen"));
  },
  connect
};

// src/codec/codec.ts
var codecs = /* @__PURE__ */ new Map();
function registerCodec(codec) {
  codecs.set(codec.name, codec);
}
function getCodec(name) {
  const codec = codecs.get(name);
  if (!codec) {
    throw new NotRegisteredError(
      `codec not registered: '${name}' (known: ${[...codecs.keys()].join(", ") || "none"})`
    );
  }
  return codec;
}

// src/codec/_utf8.ts
var decoder = new TextDecoder("utf-8", { ignoreBOM: true });
var encoder = new TextEncoder();
var SHORT_DECODE_MAX = 32;
var SHORT_ENCODE_MAX = 32;
function asciiDecoders() {
  try {
    const fns = [void 0];
    for (let n = 1; n <= SHORT_DECODE_MAX; n++) {
      const c = Array.from({ length: n }, (_, i) => `c${i}`);
      const loads = c.map((v, i) => `${v} = b[p + ${i}]`).join(", ");
      const test = `(${c.join(" | ")}) < 0x80`;
      const body = `const ${loads}; return ${test} ? f(${c.join(", ")}) : undefined;`;
      fns.push(
        new Function("f", `"use strict"; return function (b, p) { ${body} };`)(String.fromCharCode)
      );
    }
    return fns;
  } catch {
    return [];
  }
}
var ASCII = asciiDecoders();
var NATIVE_ASCII_MAX = 1024;
var latin1;
var generatedMax = SHORT_DECODE_MAX;
var nativeWrite;
var encodeLoopMax = SHORT_ENCODE_MAX;
function isAscii(b, p, n) {
  let or = 0;
  for (let i = p, e = p + n; i < e; i++) or |= b[i];
  return or < 128;
}
function decodeUtf8(b, p, n) {
  if (n <= generatedMax) {
    if (n === 0) return "";
    const ascii = ASCII[n];
    if (ascii !== void 0) {
      const s = ascii(b, p);
      if (s !== void 0) return s;
      return decoder.decode(b.subarray(p, p + n));
    }
  }
  if (latin1 !== void 0 && n <= NATIVE_ASCII_MAX && n > 0 && isAscii(b, p, n)) {
    return latin1(b, p, p + n);
  }
  return n === 0 ? "" : decoder.decode(b.subarray(p, p + n));
}
function encodeUtf8(b, p, s) {
  return encodeUtf8From(b, p, s, 0);
}
function encodeUtf8From(b, p, s, i) {
  const n = s.length;
  if (n > encodeLoopMax) {
    return nativeWrite !== void 0 ? nativeWrite(b, p, s) : encoder.encodeInto(s, b.subarray(p, p + 3 * n)).written;
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) break;
    b[p + i] = c;
  }
  if (i === n) return n;
  return encodeRest(b, p + i, s, i) - p;
}
function encodeRest(b, q, s, i) {
  const n = s.length;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 128) {
      b[q++] = c;
      continue;
    }
    if (c < 2048) {
      b[q++] = 192 | c >> 6;
      b[q++] = 128 | c & 63;
      continue;
    }
    if (c >= 55296 && c <= 57343) {
      const d = c <= 56319 && i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 56320 && d <= 57343) {
        i++;
        c = 65536 + (c - 55296 << 10) + (d - 56320);
        b[q++] = 240 | c >> 18;
        b[q++] = 128 | c >> 12 & 63;
        b[q++] = 128 | c >> 6 & 63;
        b[q++] = 128 | c & 63;
        continue;
      }
      c = 65533;
    }
    b[q++] = 224 | c >> 12;
    b[q++] = 128 | c >> 6 & 63;
    b[q++] = 128 | c & 63;
  }
  return q;
}

// src/codec/byte_writer.ts
var MAX_U16 = 65535;
var SHRINK_ABOVE = 64 * 1024;
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) n += 1;
    else if (c < 2048) n += 2;
    else if (c >= 55296 && c <= 56319 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 56320 && d <= 57343) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
var ByteWriter = class {
  /** The storage; bytes 0..pos are the output. Replaced when it grows. */
  buf;
  /** Write position = number of bytes written since the last reset. */
  pos;
  #dv;
  #initial;
  /**
   * Create a writer.
   * @param initialCapacity Starting size in bytes; also what reset() shrinks back to.
   */
  constructor(initialCapacity = 256) {
    this.#initial = Math.max(16, Math.floor(initialCapacity));
    this.buf = new Uint8Array(this.#initial);
    this.#dv = new DataView(this.buf.buffer);
    this.pos = 0;
  }
  /** Ensure at least `n` more bytes fit after `pos` (capacity doubles as needed). */
  reserve(n) {
    const need = this.pos + n;
    if (need > this.buf.length) this.#grow(need);
  }
  #grow(need) {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.#dv = new DataView(next.buffer);
  }
  /** Write one unsigned byte (the value is taken modulo 256). */
  u8(v) {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }
  /** Write one signed byte (two's complement). */
  i8(v) {
    this.reserve(1);
    this.buf[this.pos++] = v;
  }
  /** Write a uint16, little-endian. */
  u16(v) {
    this.reserve(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    this.pos = p + 2;
  }
  /** Write an int16, little-endian two's complement. */
  i16(v) {
    this.u16(v);
  }
  /** Write a uint32, little-endian. */
  u32(v) {
    this.reserve(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }
  /** Write an int32, little-endian two's complement. */
  i32(v) {
    this.u32(v);
  }
  /** Write a float32 (IEEE-754 bits, little-endian); the number is rounded to float32. */
  f32(v) {
    this.reserve(4);
    this.#dv.setFloat32(this.pos, v, true);
    this.pos += 4;
  }
  /** Write a float64 (IEEE-754 bits, little-endian). */
  f64(v) {
    this.reserve(8);
    this.#dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  /** Write an int64, little-endian two's complement (wraps modulo 2^64). */
  i64(v) {
    this.reserve(8);
    this.#dv.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }
  /** Write a uint64, little-endian (wraps modulo 2^64). */
  u64(v) {
    this.reserve(8);
    this.#dv.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }
  /** Append raw bytes. */
  bytes(src) {
    const n = src.length;
    this.reserve(n);
    this.buf.set(src, this.pos);
    this.pos += n;
  }
  /** Append `n` zero bytes. */
  zeros(n) {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }
  /** Overwrite a uint16 (little-endian) at an earlier offset, e.g. a length header. */
  setU16At(offset, v) {
    this.buf[offset] = v;
    this.buf[offset + 1] = v >>> 8;
  }
  /**
   * Write a uint16 little-endian UTF-8 byte length, then the UTF-8 bytes.
   * Lone surrogates are written as U+FFFD (what TextEncoder does).
   *
   * @throws {EncodeError} when the UTF-8 form is longer than 65535 bytes;
   * `pos` is then unchanged.
   */
  string16(s) {
    const len = s.length;
    if (len > MAX_U16) {
      throw new EncodeError(`string of ${utf8Length(s)} bytes exceeds ${MAX_U16}`);
    }
    const start = this.pos;
    this.reserve(2 + 3 * len);
    const buf = this.buf;
    const body = start + 2;
    let i = 0;
    if (len <= encodeLoopMax) {
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128) break;
        buf[body + i] = c;
      }
      if (i === len) {
        buf[start] = len;
        buf[start + 1] = len >>> 8;
        this.pos = body + len;
        return;
      }
    }
    const written = encodeUtf8From(buf, body, s, i);
    if (written > MAX_U16) {
      throw new EncodeError(`string of ${written} bytes exceeds ${MAX_U16}`);
    }
    buf[start] = written;
    buf[start + 1] = written >>> 8;
    this.pos = body + written;
  }
  /** Append the UTF-8 bytes of `s` with no length prefix. */
  utf8(s) {
    this.reserve(3 * s.length);
    this.pos += encodeUtf8(this.buf, this.pos, s);
  }
  /** The bytes written so far (a view into `buf`, valid until the next write or reset). */
  view() {
    return this.buf.subarray(0, this.pos);
  }
  /** Start over at position 0, giving back memory if the buffer grew past 64 KiB. */
  reset() {
    this.pos = 0;
    if (this.buf.length > SHRINK_ABOVE && this.buf.length > this.#initial) {
      this.buf = new Uint8Array(this.#initial);
      this.#dv = new DataView(this.buf.buffer);
    }
  }
};

// src/codec/_byte_reader.ts
var scratch = new Uint8Array(8);
var scratchView = new DataView(scratch.buffer);
var EMPTY = new Uint8Array(0);
var SHORT_COPY = 64;
var NO_BYTES = Object.freeze([]);
var ByteReader = class {
  /** The buffer holding the body (the body itself, or a whole read chunk). */
  body = EMPTY;
  /** Next index in `body` to read. */
  pos = 0;
  /** Index in `body` where the body ends. */
  end = 0;
  /** Index in `body` where the body starts. */
  base = 0;
  /** Start reading `body` from offset 0. */
  reset(body) {
    this.body = body;
    this.pos = this.base = 0;
    this.end = body.length;
  }
  /**
   * Read `buf[start..end)` in place, so a frame inside a read chunk is
   * decoded without making a view of it (a view is an allocation per message).
   */
  resetRange(buf, start, end) {
    this.body = buf;
    this.pos = this.base = start;
    this.end = end;
  }
  /** Drop the body reference so a transport chunk is not pinned. */
  release() {
    this.body = EMPTY;
    this.pos = this.base = this.end = 0;
  }
  /** Bytes left after `pos`. */
  get remaining() {
    return this.end - this.pos;
  }
  #past(what, n) {
    return new DecodeError(
      `${what} (${n} byte${n === 1 ? "" : "s"}) at offset ${this.pos - this.base} runs past the body (${this.end - this.base} bytes)`
    );
  }
  #need(n, what) {
    const p = this.pos;
    if (p + n > this.end) throw this.#past(what, n);
    this.pos = p + n;
    return p;
  }
  /** Read an unsigned byte. `what` names the value in the error message. */
  u8(what) {
    return this.body[this.#need(1, what)];
  }
  /** Read a signed byte. */
  i8(what) {
    return this.body[this.#need(1, what)] << 24 >> 24;
  }
  /** Read a uint16, little-endian. */
  u16(what) {
    const p = this.#need(2, what);
    const b = this.body;
    return b[p] | b[p + 1] << 8;
  }
  /** Read an int16, little-endian. */
  i16(what) {
    return this.u16(what) << 16 >> 16;
  }
  /** Read an int32, little-endian. */
  i32(what) {
    const p = this.#need(4, what);
    const b = this.body;
    return b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24;
  }
  /** Read a uint32, little-endian. */
  u32(what) {
    return this.i32(what) >>> 0;
  }
  #toScratch(n, what) {
    const p = this.#need(n, what);
    const b = this.body;
    for (let i = 0; i < n; i++) scratch[i] = b[p + i];
  }
  /** Read a float32 (widened to a JS number). */
  f32(what) {
    this.#toScratch(4, what);
    return scratchView.getFloat32(0, true);
  }
  /** Read a float64. */
  f64(what) {
    this.#toScratch(8, what);
    return scratchView.getFloat64(0, true);
  }
  /** Read an int64 as a bigint. */
  i64(what) {
    this.#toScratch(8, what);
    return scratchView.getBigInt64(0, true);
  }
  /** Read a uint64 as a bigint. */
  u64(what) {
    this.#toScratch(8, what);
    return scratchView.getBigUint64(0, true);
  }
  /** Read a uint16 length, then check that many bytes remain; returns the length. */
  #length16(what) {
    const at = this.pos;
    const n = this.u16(what);
    if (n > this.end - this.pos) {
      throw new DecodeError(
        `${what} length ${n} at offset ${at - this.base} runs past the body (${this.end - this.base} bytes)`
      );
    }
    return n;
  }
  /** Read a uint16-length-prefixed UTF-8 string (invalid sequences become U+FFFD). */
  string16(what) {
    const n = this.#length16(what);
    const p = this.pos;
    const b = this.body;
    this.pos = p + n;
    return decodeUtf8(b, p, n);
  }
  /** Read uint16-length-prefixed bytes into a fresh copy (the body is not retained). */
  bytes16(what) {
    const n = this.#length16(what);
    const p = this.pos;
    this.pos = p + n;
    const out = n === 0 ? new Uint8Array(NO_BYTES) : new Uint8Array(n);
    const b = this.body;
    if (n <= SHORT_COPY) {
      for (let i = 0; i < n; i++) out[i] = b[p + i];
    } else out.set(b.subarray(p, p + n));
    return out;
  }
  /**
   * Read a uint16 element count and check that `count * minElemSize` bytes
   * remain, so a forged count fails before anything is allocated.
   */
  count16(what, minElemSize) {
    const at = this.pos;
    const n = this.u16(what);
    if (n * minElemSize > this.end - this.pos) {
      throw new DecodeError(
        `${what} count ${n} at offset ${at - this.base} runs past the body (${this.end - this.base} bytes, each element needs at least ${minElemSize})`
      );
    }
    return n;
  }
};

// src/codec/_unroll.ts
function decodeMembers(names2, decs) {
  try {
    const body = names2.map((n, i) => `o[${JSON.stringify(n)}] = d[${i}](r);`).join(" ");
    return new Function("d", `"use strict"; return function (o, r) { ${body} };`)(
      decs
    );
  } catch {
    return (o, r) => {
      for (let i = 0; i < names2.length; i++) o[names2[i]] = decs[i](r);
    };
  }
}
function encodeMembers(names2, encs) {
  try {
    const body = names2.map((n, i) => `e[${i}](o[${JSON.stringify(n)}], w);`).join(" ");
    return new Function("e", `"use strict"; return function (o, w) { ${body} };`)(
      encs
    );
  } catch {
    return (o, out) => {
      for (let i = 0; i < names2.length; i++) encs[i](o[names2[i]], out);
    };
  }
}

// src/codec/field.ts
var KINDS = /* @__PURE__ */ new Set([
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "string",
  "bytes",
  "slice",
  "struct"
]);
var INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;
var validated = /* @__PURE__ */ new WeakSet();
function checkFields(fields) {
  if (validated.has(fields)) return;
  if (typeof fields !== "object" || fields === null) {
    throw new TypeError(
      `fields must be an object of field types, got ${fields === null ? "null" : typeof fields}`
    );
  }
  for (const name of Object.keys(fields)) {
    if (INTEGER_LIKE.test(name)) {
      throw new TypeError(
        `field name '${name}' is integer-like: JavaScript would reorder it, breaking wire order`
      );
    }
    const type = fields[name];
    if (typeof type !== "object" || type === null || !KINDS.has(type.kind) || typeof type.zero !== "function") {
      throw new TypeError(`field '${name}' is not a field type (build it with t.*)`);
    }
  }
  validated.add(fields);
}
function scalar(kind, zero) {
  return Object.freeze({ kind, zero });
}
var zeroNumber = () => 0;
var zeroBigint = () => 0n;
var NO_BYTES2 = Object.freeze([]);
var t = Object.freeze({
  bool: scalar("bool", () => false),
  int8: scalar("int8", zeroNumber),
  int16: scalar("int16", zeroNumber),
  int32: scalar("int32", zeroNumber),
  int64: scalar("int64", zeroBigint),
  uint8: scalar("uint8", zeroNumber),
  uint16: scalar("uint16", zeroNumber),
  uint32: scalar("uint32", zeroNumber),
  uint64: scalar("uint64", zeroBigint),
  float32: scalar("float32", zeroNumber),
  float64: scalar("float64", zeroNumber),
  string: scalar("string", () => ""),
  // From an empty array, not a length: V8 takes a slow path for new Uint8Array(0).
  bytes: scalar("bytes", () => new Uint8Array(NO_BYTES2)),
  slice(elem) {
    if (typeof elem !== "object" || elem === null || !KINDS.has(elem.kind)) {
      throw new TypeError("t.slice() needs a field type as element");
    }
    return Object.freeze({ kind: "slice", elem, zero: () => [] });
  },
  struct(fields) {
    checkFields(fields);
    return Object.freeze({ kind: "struct", fields, zero: () => zeroValues(fields) });
  },
  ignored(type) {
    if (typeof type !== "object" || type === null || !KINDS.has(type.kind)) {
      throw new TypeError("t.ignored() needs a field type");
    }
    return Object.freeze({ ...type, ignored: true });
  }
});
function zeroValues(fields) {
  checkFields(fields);
  const out = {};
  for (const name in fields) out[name] = fields[name].zero();
  return out;
}

// src/codec/binary.ts
var MAX_U162 = 65535;
var MIN_I64 = -(2n ** 63n);
var MAX_I64 = 2n ** 63n - 1n;
var MAX_U64 = 2n ** 64n - 1n;
var WIDTH = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8
};
function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Uint8Array) return "a Uint8Array";
  switch (typeof v) {
    case "number":
      return `the number ${v}`;
    case "bigint":
      return `the bigint ${v}n`;
    case "string":
      return "a string";
    case "boolean":
      return `${v}`;
    case "undefined":
      return "undefined";
    default:
      return `a value of type ${typeof v}`;
  }
}
function bad(path2, expected, v) {
  return new EncodeError(`${path2}: expected ${expected}, got ${describe(v)}`);
}
function goLayout(type) {
  const w = WIDTH[type.kind];
  if (w !== void 0) return { size: w, align: w };
  if (type.kind === "string") return { size: 16, align: 8 };
  if (type.kind === "bytes" || type.kind === "slice") return { size: 24, align: 8 };
  let size = 0;
  let align = 1;
  for (const f of Object.values(type.fields ?? {})) {
    const l = goLayout(f);
    size = Math.ceil(size / l.align) * l.align + l.size;
    align = Math.max(align, l.align);
  }
  return { size: Math.ceil(size / align) * align, align };
}
function compileSize(type) {
  const w = WIDTH[type.kind];
  if (w !== void 0) return () => w;
  switch (type.kind) {
    case "string":
      return (v) => 2 + (typeof v === "string" ? utf8Length(v) : 0);
    case "bytes":
      return (v) => 2 + (v instanceof Uint8Array ? v.length : 0);
    case "slice": {
      const elemSize = goLayout(type.elem).size;
      return (v) => 2 + (Array.isArray(v) ? v.length * elemSize : 0);
    }
    default: {
      const names2 = Object.keys(type.fields);
      const sizes = names2.map((n) => compileSize(type.fields[n]));
      return (v) => {
        const o = typeof v === "object" && v !== null ? v : {};
        let sum = 0;
        for (let i = 0; i < names2.length; i++) sum += sizes[i](o[names2[i]]);
        return sum;
      };
    }
  }
}
function compileScalar(type, path2) {
  const what = `${path2}: ${type.kind}`;
  switch (type.kind) {
    case "bool":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "boolean") throw bad(path2, "a boolean", v);
          out.u8(v ? 1 : 0);
        },
        dec: (r) => r.u8(what) !== 0
      };
    case "int8":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "number" || v << 24 >> 24 !== v) {
            throw bad(path2, "an int8 (integer in -128..127)", v);
          }
          out.i8(v);
        },
        dec: (r) => r.i8(what)
      };
    case "uint8":
      return {
        min: 1,
        enc: (v, out) => {
          if (typeof v !== "number" || (v & 255) !== v) {
            throw bad(path2, "a uint8 (integer in 0..255)", v);
          }
          out.u8(v);
        },
        dec: (r) => r.u8(what)
      };
    case "int16":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "number" || v << 16 >> 16 !== v) {
            throw bad(path2, "an int16 (integer in -32768..32767)", v);
          }
          out.i16(v);
        },
        dec: (r) => r.i16(what)
      };
    case "uint16":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "number" || (v & 65535) !== v) {
            throw bad(path2, "a uint16 (integer in 0..65535)", v);
          }
          out.u16(v);
        },
        dec: (r) => r.u16(what)
      };
    case "int32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number" || (v | 0) !== v) {
            throw bad(path2, "an int32 (integer in -2147483648..2147483647)", v);
          }
          out.i32(v);
        },
        dec: (r) => r.i32(what)
      };
    case "uint32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number" || v >>> 0 !== v) {
            throw bad(path2, "a uint32 (integer in 0..4294967295)", v);
          }
          out.u32(v);
        },
        dec: (r) => r.u32(what)
      };
    case "int64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v === "bigint") {
            if (v < MIN_I64 || v > MAX_I64) {
              throw bad(path2, "an int64 (bigint in -2^63..2^63-1)", v);
            }
            out.i64(v);
          } else if (typeof v === "number" && Number.isSafeInteger(v)) {
            out.i64(BigInt(v));
          } else {
            throw bad(path2, "an int64 (bigint, or a safe integer number)", v);
          }
        },
        dec: (r) => r.i64(what)
      };
    case "uint64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v === "bigint") {
            if (v < 0n || v > MAX_U64) throw bad(path2, "a uint64 (bigint in 0..2^64-1)", v);
            out.u64(v);
          } else if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
            out.u64(BigInt(v));
          } else {
            throw bad(path2, "a uint64 (bigint, or a non-negative safe integer number)", v);
          }
        },
        dec: (r) => r.u64(what)
      };
    case "float32":
      return {
        min: 4,
        enc: (v, out) => {
          if (typeof v !== "number") throw bad(path2, "a number (float32)", v);
          out.f32(v);
        },
        dec: (r) => r.f32(what)
      };
    case "float64":
      return {
        min: 8,
        enc: (v, out) => {
          if (typeof v !== "number") throw bad(path2, "a number (float64)", v);
          out.f64(v);
        },
        dec: (r) => r.f64(what)
      };
    case "string":
      return {
        min: 2,
        enc: (v, out) => {
          if (typeof v !== "string") throw bad(path2, "a string", v);
          try {
            out.string16(v);
          } catch (e) {
            throw new EncodeError(`${path2}: ${e.message}`, { cause: e });
          }
        },
        dec: (r) => r.string16(what)
      };
    case "bytes":
      return {
        min: 2,
        enc: (v, out) => {
          if (!(v instanceof Uint8Array)) throw bad(path2, "a Uint8Array", v);
          if (v.length > MAX_U162) {
            throw new EncodeError(`${path2}: byte slice of ${v.length} bytes exceeds ${MAX_U162}`);
          }
          out.u16(v.length);
          out.bytes(v);
        },
        dec: (r) => r.bytes16(what)
      };
    default:
      throw new TypeError(`${path2}: unsupported field kind '${type.kind}'`);
  }
}
function compileSlice(type, path2) {
  const elem = compile(type.elem, path2 + "[]");
  const encElem = elem.enc;
  const decElem = elem.dec;
  const elemMin = elem.min;
  const what = path2 + ": slice";
  return {
    min: 2,
    enc: (v, out) => {
      if (!Array.isArray(v)) throw bad(path2, "an array", v);
      const n = v.length;
      if (n > MAX_U162) throw new EncodeError(`${path2}: slice of ${n} elements exceeds ${MAX_U162}`);
      out.u16(n);
      for (let i = 0; i < n; i++) encElem(v[i], out);
    },
    dec: (r) => {
      const n = r.count16(what, elemMin);
      const arr = [];
      for (let i = 0; i < n; i++) arr.push(decElem(r));
      return arr;
    }
  };
}
function compileMembers(fields, path2) {
  const names2 = Object.keys(fields);
  const plans = names2.map((n) => compile(fields[n], `${path2}.${n}`));
  return {
    min: plans.reduce((sum, p) => sum + p.min, 0),
    decodeMembers: decodeMembers(names2, plans.map((p) => p.dec)),
    encodeMembers: encodeMembers(names2, plans.map((p) => p.enc))
  };
}
function compileStruct(type, path2) {
  const { min, decodeMembers: decodeMembers2, encodeMembers: encodeMembers2 } = compileMembers(type.fields, path2);
  return {
    min,
    enc: (v, out) => {
      if (typeof v !== "object" || v === null) throw bad(path2, "an object", v);
      encodeMembers2(v, out);
    },
    dec: (r) => {
      const o = {};
      decodeMembers2(o, r);
      return o;
    }
  };
}
function compile(type, path2) {
  let plan;
  if (type.kind === "slice") plan = compileSlice(type, path2);
  else if (type.kind === "struct") plan = compileStruct(type, path2);
  else plan = compileScalar(type, path2);
  if (!type.ignored) return plan;
  const size = compileSize(type);
  return { min: plan.min, dec: plan.dec, enc: (v, out) => out.zeros(size(v)) };
}
var spareReader = new ByteReader();
function bindBinary(shape) {
  if (!shape.fields) {
    throw new TypeError(
      `binary codec: message ${shape.name} declares no fields (the binary codec needs a schema)`
    );
  }
  t.struct(shape.fields);
  const name = shape.name;
  const create = shape.create;
  const { min, decodeMembers: decodeMembers2, encodeMembers: encodeMembers2 } = compileMembers(shape.fields, name);
  const decodeRange = (buf, start, end) => {
    const r = spareReader ?? new ByteReader();
    spareReader = null;
    try {
      const msg = create();
      const size = end - start;
      if (size === 0) return msg;
      if (size < min) {
        throw new DecodeError(
          `out of data: ${name} needs at least ${min} bytes, the body has ${size}`
        );
      }
      r.resetRange(buf, start, end);
      decodeMembers2(msg, r);
      return msg;
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      r.release();
      spareReader = r;
    }
  };
  const bound = {
    encode(message, out) {
      if (typeof message !== "object" || message === null) {
        throw bad(name, "a message object", message);
      }
      encodeMembers2(message, out);
    },
    decode(body) {
      return decodeRange(body, 0, body.length);
    },
    decodeRange
  };
  return bound;
}
var binaryCodec = Object.freeze({
  name: "binary",
  mimeType: "application/binary",
  bind: bindBinary
});
registerCodec(binaryCodec);

// src/codec/_json_go_text.ts
var HTML_UNSAFE = /[<>&\u2028\u2029]/g;
var HTML_ESCAPES = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029"
};
function goEscape(json) {
  HTML_UNSAFE.lastIndex = 0;
  return HTML_UNSAFE.test(json) ? json.replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]) : json;
}
var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
var B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
function base64(bytes) {
  let s = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    s += B64[v >>> 18] + B64[v >>> 12 & 63] + B64[v >>> 6 & 63] + B64[v & 63];
  }
  if (i + 1 === n) {
    const v = bytes[i] << 16;
    s += B64[v >>> 18] + B64[v >>> 12 & 63] + "==";
  } else if (i + 2 === n) {
    const v = bytes[i] << 16 | bytes[i + 1] << 8;
    s += B64[v >>> 18] + B64[v >>> 12 & 63] + B64[v >>> 6 & 63] + "=";
  }
  return s;
}
function unbase64(text, path2) {
  const s = text.includes("\r") || text.includes("\n") ? text.replace(/[\r\n]/g, "") : text;
  const bad3 = () => new DecodeError(`${path2}: illegal base64 data`);
  if (s.length % 4 !== 0) throw bad3();
  let pad = 0;
  if (s.endsWith("==")) pad = 2;
  else if (s.endsWith("=")) pad = 1;
  const out = new Uint8Array(s.length / 4 * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      let d = c < 128 ? B64_INDEX[c] : -1;
      if (d < 0) {
        if (!(last && c === 61 && j >= 4 - pad)) throw bad3();
        d = 0;
      }
      v = v << 6 | d;
    }
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = v >>> 8 & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}
function formatFloat(v, float32, path2) {
  if (!Number.isFinite(v)) throw new EncodeError(`${path2}: json: unsupported value: ${v}`);
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  if (!float32) return String(v);
  const f = Math.fround(v);
  if (!Number.isFinite(f)) {
    throw new EncodeError(`${path2}: json: unsupported value: ${v} overflows float32`);
  }
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}

// src/codec/_json_reader.ts
var JsonNumber = class {
  raw;
  constructor(raw) {
    this.raw = raw;
  }
};
var MAX_DEPTH = 1e3;
var NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
var JsonReader = class {
  #s;
  #i = 0;
  constructor(text) {
    this.#s = text;
  }
  #fail(what) {
    const at = this.#i < this.#s.length ? `'${this.#s[this.#i]}' at offset ${this.#i}` : "end of input";
    return new DecodeError(`json: ${what}, found ${at}`);
  }
  #ws() {
    const s = this.#s;
    let i = this.#i;
    for (; ; ) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.#i = i;
  }
  /** Parse a whole document. */
  document() {
    const v = this.#value(0);
    this.#ws();
    if (this.#i !== this.#s.length) throw this.#fail("unexpected data after the top-level value");
    return v;
  }
  #value(depth) {
    if (depth > MAX_DEPTH) throw this.#fail(`nesting deeper than ${MAX_DEPTH}`);
    this.#ws();
    const s = this.#s;
    const c = s[this.#i];
    switch (c) {
      case "{": {
        this.#i++;
        const obj = /* @__PURE__ */ new Map();
        this.#ws();
        if (s[this.#i] === "}") {
          this.#i++;
          return obj;
        }
        for (; ; ) {
          this.#ws();
          if (s[this.#i] !== '"') throw this.#fail("expected a string key");
          const key2 = this.#string();
          this.#ws();
          if (s[this.#i] !== ":") throw this.#fail("expected ':'");
          this.#i++;
          obj.set(key2, this.#value(depth + 1));
          this.#ws();
          const d = s[this.#i++];
          if (d === "}") return obj;
          if (d !== ",") {
            this.#i--;
            throw this.#fail("expected ',' or '}'");
          }
        }
      }
      case "[": {
        this.#i++;
        const arr = [];
        this.#ws();
        if (s[this.#i] === "]") {
          this.#i++;
          return arr;
        }
        for (; ; ) {
          arr.push(this.#value(depth + 1));
          this.#ws();
          const d = s[this.#i++];
          if (d === "]") return arr;
          if (d !== ",") {
            this.#i--;
            throw this.#fail("expected ',' or ']'");
          }
        }
      }
      case '"':
        return this.#string();
      case "t":
        return this.#literal("true", true);
      case "f":
        return this.#literal("false", false);
      case "n":
        return this.#literal("null", null);
      default: {
        NUMBER.lastIndex = this.#i;
        const m = NUMBER.exec(s);
        if (!m) throw this.#fail("expected a value");
        this.#i += m[0].length;
        return new JsonNumber(m[0]);
      }
    }
  }
  #literal(word, value) {
    if (!this.#s.startsWith(word, this.#i)) throw this.#fail(`expected '${word}'`);
    this.#i += word.length;
    return value;
  }
  #string() {
    const s = this.#s;
    const start = ++this.#i;
    let i = start;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.#i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92 || c < 32) break;
    }
    let out = s.slice(start, i);
    for (; ; ) {
      if (i >= s.length) {
        this.#i = i;
        throw this.#fail("unterminated string");
      }
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.#i = i + 1;
        return out;
      }
      if (c < 32) {
        this.#i = i;
        throw this.#fail("control character in string");
      }
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case '"':
          out += '"';
          break;
        case "\\":
          out += "\\";
          break;
        case "/":
          out += "/";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "	";
          break;
        case "u": {
          const h = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.#i = i;
            throw this.#fail("bad \\u escape");
          }
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.#i = i - 1;
          throw this.#fail("bad escape");
      }
    }
  }
};

// src/codec/_json_plan.ts
var INT_RANGE = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295]
};
var BIG_RANGE = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n]
};
var INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
function jsonKind(v) {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return "number";
  if (v instanceof Map) return "object";
  if (Array.isArray(v)) return "array";
  return typeof v;
}
function mismatch(path2, goType, v) {
  return new DecodeError(`json: cannot unmarshal ${jsonKind(v)} into ${path2} of type ${goType}`);
}
function wrongType(path2, expected, v) {
  const got = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "number" ? `the number ${v}` : typeof v;
  return new EncodeError(`${path2}: expected ${expected}, got ${got}`);
}
function compile2(type, path2) {
  const kind = type.kind;
  const intRange = INT_RANGE[kind];
  if (intRange) {
    const [lo, hi] = intRange;
    return {
      enc: (v) => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
          throw wrongType(
            path2,
            `${kind.startsWith("u") ? "a" : "an"} ${kind} (integer in ${lo}..${hi})`,
            v
          );
        }
        return String(v);
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path2, kind, v);
        const n = INTEGER.test(v.raw) ? Number(v.raw) + 0 : NaN;
        if (!(n >= lo && n <= hi)) {
          throw new DecodeError(
            `json: cannot unmarshal number ${v.raw} into ${path2} of type ${kind}`
          );
        }
        return n;
      }
    };
  }
  const bigRange = BIG_RANGE[kind];
  if (bigRange) {
    const [lo, hi] = bigRange;
    return {
      enc: (v) => {
        if (typeof v === "bigint" && v >= lo && v <= hi) return v.toString();
        if (typeof v === "number" && Number.isSafeInteger(v) && v >= lo) return String(v);
        throw wrongType(
          path2,
          `${kind.startsWith("u") ? "a" : "an"} ${kind} (bigint in range, or a safe integer number)`,
          v
        );
      },
      dec: (v) => {
        if (!(v instanceof JsonNumber)) throw mismatch(path2, kind, v);
        const n = INTEGER.test(v.raw) ? BigInt(v.raw) : null;
        if (n === null || n < lo || n > hi) {
          throw new DecodeError(
            `json: cannot unmarshal number ${v.raw} into ${path2} of type ${kind}`
          );
        }
        return n;
      }
    };
  }
  switch (kind) {
    case "bool":
      return {
        enc: (v) => {
          if (typeof v !== "boolean") throw wrongType(path2, "a boolean", v);
          return v ? "true" : "false";
        },
        dec: (v) => {
          if (typeof v !== "boolean") throw mismatch(path2, "bool", v);
          return v;
        }
      };
    case "float32":
    case "float64": {
      const f32 = kind === "float32";
      return {
        enc: (v) => {
          if (typeof v !== "number") throw wrongType(path2, `a number (${kind})`, v);
          return formatFloat(v, f32, path2);
        },
        dec: (v) => {
          if (!(v instanceof JsonNumber)) throw mismatch(path2, kind, v);
          const n = f32 ? Math.fround(Number(v.raw)) : Number(v.raw);
          if (!Number.isFinite(n)) {
            throw new DecodeError(
              `json: cannot unmarshal number ${v.raw} into ${path2} of type ${kind}`
            );
          }
          return n;
        }
      };
    }
    case "string":
      return {
        enc: (v) => {
          if (typeof v !== "string") throw wrongType(path2, "a string", v);
          return goEscape(JSON.stringify(v));
        },
        dec: (v) => {
          if (typeof v !== "string") throw mismatch(path2, "string", v);
          return v;
        }
      };
    case "bytes":
      return {
        enc: (v) => {
          if (!(v instanceof Uint8Array)) throw wrongType(path2, "a Uint8Array", v);
          return `"${base64(v)}"`;
        },
        dec: (v) => {
          if (typeof v !== "string") throw mismatch(path2, "[]byte", v);
          return unbase64(v, path2);
        }
      };
    case "slice": {
      const elem = compile2(type.elem, path2 + "[]");
      return {
        enc: (v) => {
          if (!Array.isArray(v)) throw wrongType(path2, "an array", v);
          let s = "[";
          for (let i = 0; i < v.length; i++) s += (i === 0 ? "" : ",") + elem.enc(v[i]);
          return s + "]";
        },
        dec: (v) => {
          if (!Array.isArray(v)) throw mismatch(path2, "slice", v);
          return v.map(elem.dec);
        }
      };
    }
    case "struct": {
      const fields = type.fields;
      const members = compileMembers2(fields, path2);
      return {
        enc: (v) => {
          if (typeof v !== "object" || v === null) throw wrongType(path2, "an object", v);
          return members.encode(v);
        },
        dec: (v) => {
          if (!(v instanceof Map)) throw mismatch(path2, "struct", v);
          const o = zeroValues(fields);
          members.decodeInto(v, o);
          return o;
        }
      };
    }
    default:
      throw new TypeError(`${path2}: unsupported field kind '${kind}'`);
  }
}
function compileMembers2(fields, path2) {
  const names2 = Object.keys(fields);
  const plans = names2.map((n) => compile2(fields[n], `${path2}.${n}`));
  const keys = names2.map((n) => goEscape(JSON.stringify(n)) + ":");
  const byName2 = new Map(names2.map((n, i) => [n, i]));
  const byFolded = /* @__PURE__ */ new Map();
  names2.forEach((n, i) => {
    const folded = n.toLowerCase();
    if (!byFolded.has(folded)) byFolded.set(folded, i);
  });
  return {
    encode(o) {
      let s = "{";
      for (let i = 0; i < names2.length; i++) {
        s += (i === 0 ? "" : ",") + keys[i] + plans[i].enc(o[names2[i]]);
      }
      return s + "}";
    },
    decodeInto(v, o) {
      for (const [key2, value] of v) {
        const i = byName2.get(key2) ?? byFolded.get(key2.toLowerCase());
        if (i === void 0 || value === null) continue;
        o[names2[i]] = plans[i].dec(value);
      }
    }
  };
}

// src/codec/json.ts
var textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
function bodyText(body, name) {
  if (body.length === 0) throw new DecodeError(`json: ${name}: unexpected end of JSON input`);
  return textDecoder.decode(body);
}
function asDecodeError(e, name) {
  if (e instanceof DecodeError) return e;
  return new DecodeError(`json: ${name}: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e
  });
}
function bindSchemaless(shape) {
  const name = shape.name;
  return {
    encode(message, out) {
      let json;
      try {
        json = JSON.stringify(message);
      } catch (e) {
        throw new EncodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e
        });
      }
      if (typeof json !== "string") throw wrongType(name, "a JSON-serialisable message", message);
      out.utf8(goEscape(json));
    },
    decode(body) {
      try {
        const parsed = JSON.parse(bodyText(body, name));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new DecodeError(
            `json: cannot unmarshal ${Array.isArray(parsed) ? "array" : String(parsed === null ? "null" : typeof parsed)} into ${name}`
          );
        }
        if (Object.hasOwn(parsed, "__proto__")) {
          delete parsed["__proto__"];
        }
        return Object.assign(shape.create(), parsed);
      } catch (e) {
        throw asDecodeError(e, name);
      }
    }
  };
}
function bindJson(shape) {
  if (!shape.fields) return bindSchemaless(shape);
  t.struct(shape.fields);
  const name = shape.name;
  const members = compileMembers2(shape.fields, name);
  return {
    encode(message, out) {
      if (typeof message !== "object" || message === null) {
        throw wrongType(name, "a message object", message);
      }
      out.utf8(members.encode(message));
    },
    decode(body) {
      try {
        const v = new JsonReader(bodyText(body, name)).document();
        const msg = shape.create();
        if (v === null) return msg;
        if (!(v instanceof Map)) throw mismatch(name, name, v);
        members.decodeInto(v, msg);
        return msg;
      } catch (e) {
        throw asDecodeError(e, name);
      }
    }
  };
}
var jsonCodec = Object.freeze({
  name: "json",
  mimeType: "application/json",
  bind: bindJson
});
registerCodec(jsonCodec);

// src/message/close_reason.ts
var CloseReason = {
  /** The remote side closed, or the socket failed (reset, broken pipe). cellnet's `CloseReason_IO`. */
  IO: 0,
  /** This side called `session.close()` or stopped the peer. cellnet's `CloseReason_Manual`. */
  Manual: 1,
  /** Nothing was received within the read timeout, or queued bytes did not drain within the write timeout. */
  Timeout: 2,
  /** Unsent bytes passed the send-queue high-water mark: the remote reads too slowly. */
  SlowConsumer: 3,
  /** The remote sent bytes that break the protocol (bad frame, unknown id, undecodable body). */
  ProtocolError: 4,
  /** A peer limit refused the session (such as the acceptor's connection limit). */
  Limit: 5
};
var names = Object.fromEntries(Object.entries(CloseReason).map(([k, v]) => [v, k]));
function closeReasonName(reason) {
  return names[reason] ?? "Unknown";
}

// src/message/string_hash.ts
var REPLACEMENT = 65533;
function stringHash(name) {
  let h = 0;
  const n = name.length;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c >= 55296 && c <= 57343) {
      const next = i + 1 < n ? name.charCodeAt(i + 1) : 0;
      if (c <= 56319 && next >= 56320 && next <= 57343) {
        c = (c - 55296 << 10) + (next - 56320) + 65536 & 65535;
        i++;
      } else {
        c = REPLACEMENT;
      }
    }
    h = 33 * h + 129 * c & 65535;
  }
  return h;
}

// src/message/meta.ts
var META = /* @__PURE__ */ Symbol.for("cellnet.meta");
var byId = /* @__PURE__ */ new Map();
var byName = /* @__PURE__ */ new Map();
function registerMessageMeta(init) {
  const id = init.id ?? stringHash(init.name);
  if (!Number.isInteger(id) || id <= 0 || id > 65535) {
    throw new MessageRegistrationError(`message '${init.name}': id must be 1..65535, got ${id}`);
  }
  const sameId = byId.get(id);
  if (sameId) {
    throw new MessageRegistrationError(
      `message '${init.name}' has id ${id}, already taken by '${sameId.name}'`
    );
  }
  if (byName.has(init.name)) {
    throw new MessageRegistrationError(`message name '${init.name}' is already registered`);
  }
  if (init.type[META]) {
    throw new MessageRegistrationError(
      `type ${init.type.name} is already registered as '${init.type[META].name}'`
    );
  }
  const codec = typeof init.codec === "object" ? init.codec : getCodec(init.codec ?? "binary");
  const type = init.type;
  const bound = init.system ? unencodable(init.name) : codec.bind({ name: init.name, fields: init.fields, create: () => new type() });
  const meta = {
    name: init.name,
    id,
    codec,
    type,
    fields: init.fields,
    bound,
    system: init.system ?? false
  };
  byId.set(id, meta);
  byName.set(init.name, meta);
  Object.defineProperty(type, META, { value: meta, enumerable: false });
  return meta;
}
function unencodable(name) {
  const refuse = () => {
    throw new UnregisteredMessageError(`system message '${name}' is raised locally and never sent`);
  };
  return { encode: refuse, decode: refuse };
}
function messageMetaById(id) {
  return byId.get(id);
}
function messageMetaByMsg(message) {
  const ctor = message.constructor;
  const meta = ctor?.[META];
  return meta !== void 0 && meta.type === ctor ? meta : void 0;
}
function messageName(message) {
  if (typeof message !== "object" || message === null) return String(message);
  const meta = messageMetaByMsg(message);
  if (meta !== void 0 && !meta.system) return meta.name;
  const ctor = message.constructor;
  return typeof ctor?.name === "string" && ctor.name !== "Object" ? ctor.name : String(message);
}

// src/message/sysmsg.ts
var SessionAccepted = class {
  /** cellnet prints it so. */
  toString() {
    return "SessionAccepted";
  }
};
var SessionConnected = class {
  /** cellnet prints it so. */
  toString() {
    return "SessionConnected";
  }
};
var SessionConnectError = class {
  /** What went wrong: a ConnectError or TimeoutError. */
  error;
  /** Failed dials in a row, this one included (1 for the first). */
  attempt;
  /** Create the event for the error that ended the dial. */
  constructor(error, attempt = 1) {
    this.error = error;
    this.attempt = attempt;
  }
  /** cellnet prints it so. */
  toString() {
    return `SessionConnectError: ${this.error?.message ?? ""}`;
  }
};
var SessionClosed = class {
  /** Why it closed. */
  reason;
  /**
   * The error behind the close, if any. A clean remote close (FIN) is
   * reason `IO` with no error; a network failure is `IO` with the error.
   */
  error;
  /** Create the event. */
  constructor(reason = 0, error) {
    this.reason = reason;
    this.error = error;
  }
  /** e.g. `SessionClosed: ProtocolError: msg not exists, '4660'`. */
  toString() {
    return `SessionClosed: ${closeReasonName(this.reason)}${this.error ? `: ${this.error.message}` : ""}`;
  }
};
for (const [type, name] of [
  [SessionAccepted, "cellnet.SessionAccepted"],
  [SessionConnected, "cellnet.SessionConnected"],
  [SessionConnectError, "cellnet.SessionConnectError"],
  [SessionClosed, "cellnet.SessionClosed"]
]) {
  registerMessageMeta({ name, type, system: true });
}

// src/message/raw_packet.ts
var RawPacket = class {
  /** The 16-bit message id written in the frame. */
  msgId;
  /** The body bytes. */
  msgData;
  /** Create a raw packet; `msgData` is copied into the outgoing buffer on send. */
  constructor(msgId, msgData) {
    this.msgId = msgId;
    this.msgData = msgData;
  }
};

// src/processor/tcp/ltv_transmitter.ts
var HEADER = 4;
var MAX_LENGTH = 65535;
var LTVTransmitter = class {
  /** Make the inbound parser of one session. */
  newReceiver(sink, limits) {
    return new LTVReceiver(sink, limits.maxPacketSize);
  }
  /** Append `Length | MsgID | body` for `message` to `out`. */
  writeMessage(out, message) {
    const start = out.pos;
    out.reserve(HEADER);
    out.pos = start + HEADER;
    let id;
    if (message instanceof RawPacket) {
      id = message.msgId;
      if (!Number.isInteger(id) || id < 0 || id > 65535) {
        throw new EncodeError(`RawPacket msgId must be 0..65535, got ${id}`);
      }
      out.bytes(message.msgData);
    } else {
      const meta = messageMetaByMsg(message);
      if (!meta) {
        const name = message?.constructor?.name ?? typeof message;
        throw new UnregisteredMessageError(
          `cannot send ${name}: its type is not a registered message`
        );
      }
      id = meta.id;
      meta.bound.encode(message, out);
    }
    const length = out.pos - start - 2;
    if (length > MAX_LENGTH) {
      throw new EncodeError(
        `frame of ${length + 2} bytes does not fit tcp.ltv: Length ${length} exceeds ${MAX_LENGTH}`
      );
    }
    out.setU16At(start, length);
    out.setU16At(start + 2, id);
  }
};
var LTVReceiver = class {
  #sink;
  #maxPacketSize;
  /** Holds one incomplete frame (header included) between reads. */
  #partial;
  #partialLen = 0;
  /** Total size of the frame in #partial once its header is known, else 0. */
  #partialNeed = 0;
  // The last id seen and its meta: a connection's frames are mostly of a few
  // types, and ids never change meaning once registered, so this skips the
  // registry lookup per frame.
  #lastId = -1;
  #lastMeta;
  constructor(sink, maxPacketSize) {
    this.#sink = sink;
    this.#maxPacketSize = maxPacketSize;
  }
  get partialBytes() {
    return this.#partialLen;
  }
  receive(chunk) {
    let off = 0;
    const end = chunk.length;
    if (end === 0) return;
    if (this.#partialLen > 0) {
      off = this.#completePartial(chunk);
      if (off < 0) return;
    }
    const sink = this.#sink;
    const max = this.#maxPacketSize;
    while (end - off >= 2 && sink.receiving) {
      const length = chunk[off] | chunk[off + 1] << 8;
      if (length < 2 || max > 0 && length >= max) this.#checkLength(length);
      if (end - off - 2 < length) break;
      this.#frame(chunk, off + 2, length);
      off += 2 + length;
    }
    if (off < end && sink.receiving) this.#keep(chunk, off);
  }
  /** Add the start of `chunk` to the held partial frame; returns where the rest begins, or -1 if all was consumed. */
  #completePartial(chunk) {
    let off = 0;
    let buf = this.#partial;
    if (this.#partialNeed === 0) {
      const lo = buf[0];
      const hi = chunk[0];
      off = 1;
      const length2 = lo | hi << 8;
      this.#checkLength(length2);
      buf = this.#grow(2 + length2);
      buf[0] = lo;
      buf[1] = hi;
      this.#partialLen = 2;
      this.#partialNeed = 2 + length2;
    }
    const take = Math.min(this.#partialNeed - this.#partialLen, chunk.length - off);
    buf.set(chunk.subarray(off, off + take), this.#partialLen);
    this.#partialLen += take;
    off += take;
    if (this.#partialLen < this.#partialNeed) return -1;
    const length = this.#partialNeed - 2;
    this.#partialLen = 0;
    this.#partialNeed = 0;
    if (buf.length > 4096) this.#partial = void 0;
    this.#frame(buf, 2, length);
    return off;
  }
  #keep(chunk, off) {
    const rest = chunk.length - off;
    if (rest === 1) {
      const buf2 = this.#grow(64);
      buf2[0] = chunk[off];
      this.#partialLen = 1;
      this.#partialNeed = 0;
      return;
    }
    const need = 2 + (chunk[off] | chunk[off + 1] << 8);
    const buf = this.#grow(need);
    buf.set(chunk.subarray(off), 0);
    this.#partialLen = rest;
    this.#partialNeed = need;
  }
  #grow(size) {
    if (this.#partial === void 0 || this.#partial.length < size) {
      this.#partial = new Uint8Array(Math.max(size, 64));
    }
    return this.#partial;
  }
  #checkLength(length) {
    if (length < 2) throw new ProtocolError(`short msgid: frame Length ${length} is less than 2`);
    const max = this.#maxPacketSize;
    if (max > 0 && length >= max) {
      throw new PacketTooLargeError(`packet over size: Length ${length} >= maxPacketSize ${max}`);
    }
  }
  #frame(buf, start, length) {
    const id = buf[start] | buf[start + 1] << 8;
    let meta = this.#lastMeta;
    if (id !== this.#lastId || meta === void 0) {
      meta = messageMetaById(id);
      if (meta === void 0 || meta.system) throw new UnknownMessageError(id);
      this.#lastId = id;
      this.#lastMeta = meta;
    }
    let message;
    try {
      const bound = meta.bound;
      message = bound.decodeRange !== void 0 ? bound.decodeRange(buf, start + 2, start + length) : bound.decode(buf.subarray(start + 2, start + length));
    } catch (e) {
      if (e instanceof ProtocolError) {
        throw new DecodeError(`${meta.name} (id ${id}): ${e.message}`, { cause: e });
      }
      throw new DecodeError(`${meta.name} (id ${id}): ${e?.message ?? e}`, { cause: e });
    }
    this.#sink.onRecvMessage(message);
  }
};

// src/codec/_protoplus_unroll.ts
function decodeSwitch(names2, fields, path2) {
  const keyWhat = `${path2}: field key`;
  const skipWhat = `${path2}: unknown field`;
  const decs = fields.map((f) => f.dec);
  try {
    const cases = names2.map((n, i) => {
      const k = JSON.stringify(n);
      return `case ${i}: o[${k}] = d${i}(r, wt, ${fields[i].usesPrev ? `o[${k}]` : "undefined"}); break;`;
    });
    const params = decs.map((_, i) => `d${i}`);
    const body = `"use strict"; return function (o, r) {
      while (r.pos < r.end) {
        var key = r.varint(K);
        var wt = key & 7;
        if (r.hi !== 0) { r.skip(wt, S); continue; }
        switch (key >>> 3) { ${cases.join(" ")} default: r.skip(wt, S); }
      }
    };`;
    return new Function("K", "S", ...params, body)(keyWhat, skipWhat, ...decs);
  } catch {
    return (o, r) => {
      while (r.pos < r.end) {
        const key2 = r.varint(keyWhat);
        const wt = key2 & 7;
        const i = key2 >>> 3;
        if (r.hi !== 0 || i >= names2.length) {
          r.skip(wt, skipWhat);
          continue;
        }
        const name = names2[i];
        o[name] = decs[i](r, wt, o[name]);
      }
    };
  }
}

// src/codec/_protoplus_wire.ts
var WIRE = {
  varint: 1,
  bytes: 2,
  zigzag32: 3,
  zigzag64: 4,
  fixed32: 5,
  fixed64: 6
};
var TWO_32 = 4294967296;
var SAFE_HI = 2097152;
var M32 = 0xffffffffn;
var EMPTY2 = new Uint8Array(0);
var NO_BYTES3 = Object.freeze([]);
var SHORT_COPY2 = 64;
var scratch2 = new Uint8Array(8);
var scratchView2 = new DataView(scratch2.buffer);
function int64Of(lo, hi) {
  if (hi === 0) return BigInt(lo);
  const shi = hi | 0;
  if (shi >= -SAFE_HI && shi < SAFE_HI) return BigInt(shi * TWO_32 + lo);
  return BigInt(shi) << 32n | BigInt(lo);
}
function uint64Of(lo, hi) {
  if (hi === 0) return BigInt(lo);
  if (hi < SAFE_HI) return BigInt(hi * TWO_32 + lo);
  return BigInt(hi) << 32n | BigInt(lo);
}
function loOf(v) {
  return Number(v & M32);
}
function hiOf(v) {
  return Number(v >> 32n & M32);
}
function writeVarint32(w, v) {
  w.reserve(5);
  const b = w.buf;
  let p = w.pos;
  while (v > 127) {
    b[p++] = v & 127 | 128;
    v >>>= 7;
  }
  b[p++] = v;
  w.pos = p;
}
function writeVarint64(w, lo, hi) {
  w.reserve(10);
  const b = w.buf;
  let p = w.pos;
  while (hi !== 0 || lo > 127) {
    b[p++] = lo & 127 | 128;
    lo = (lo >>> 7 | hi << 25) >>> 0;
    hi >>>= 7;
  }
  b[p++] = lo;
  w.pos = p;
}
function beginLength(w) {
  w.reserve(1);
  return w.pos++;
}
function endLength(w, at) {
  let n = w.pos - at - 1;
  if (n < 128) {
    w.buf[at] = n;
    return;
  }
  let extra = 1;
  while (n >= 2 ** (7 * (extra + 1))) extra++;
  w.reserve(extra);
  const b = w.buf;
  b.copyWithin(at + 1 + extra, at + 1, w.pos);
  w.pos += extra;
  let p = at;
  while (n > 127) {
    b[p++] = n & 127 | 128;
    n >>>= 7;
  }
  b[p] = n;
}
function writeUtf8(w, s) {
  w.reserve(3 * s.length);
  w.pos += encodeUtf8(w.buf, w.pos, s);
}
var WireReader = class {
  /** The buffer holding the body. */
  buf = EMPTY2;
  /** Next index to read. */
  pos = 0;
  /** Current limit (the body's end, or a nested payload's). */
  end = 0;
  /** Index where the body starts. */
  base = 0;
  /** Length of the whole body, for error messages. */
  size = 0;
  /** High 32 bits (unsigned) of the last varint or fixed64 read. */
  hi = 0;
  /** Read `buf[start..end)` in place. */
  resetRange(buf, start, end) {
    this.buf = buf;
    this.pos = this.base = start;
    this.end = end;
    this.size = end - start;
    this.hi = 0;
  }
  /** Drop the buffer reference so a transport chunk is not pinned. */
  release() {
    this.buf = EMPTY2;
    this.pos = this.base = this.end = this.size = 0;
  }
  /** A DecodeError saying `what` at offset `at` runs past the end of its data. */
  past(what, at) {
    return new DecodeError(
      `${what} at offset ${at - this.base} runs past the end (unexpected EOF, body of ${this.size} bytes)`
    );
  }
  /** A DecodeError for a field that came with the wrong wire type. */
  badWireType(what, wt) {
    return new DecodeError(`${what}: bad wire type ${wt} at offset ${this.pos - this.base}`);
  }
  /** Read a varint; returns its low 32 bits (unsigned) and leaves the high ones in `hi`. */
  varint(what) {
    const p = this.pos;
    if (p < this.end) {
      const c = this.buf[p];
      if (c < 128) {
        this.pos = p + 1;
        this.hi = 0;
        return c;
      }
    }
    return this.#varintSlow(what);
  }
  #varintSlow(what) {
    const b = this.buf;
    const start = this.pos;
    const end = this.end;
    let p = start;
    let lo = 0;
    let c = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (p >= end) throw this.past(`${what}: varint`, start);
      c = b[p++];
      lo |= (c & 127) << shift;
      if (c < 128) return this.#done(p, lo, 0);
    }
    if (p >= end) throw this.past(`${what}: varint`, start);
    c = b[p++];
    lo |= (c & 15) << 28;
    let hi = (c & 127) >> 4;
    if (c < 128) return this.#done(p, lo, hi);
    for (let shift = 3; shift < 32; shift += 7) {
      if (p >= end) throw this.past(`${what}: varint`, start);
      c = b[p++];
      hi |= (c & 127) << shift;
      if (c < 128) return this.#done(p, lo, hi);
    }
    throw new DecodeError(
      `${what}: varint at offset ${start - this.base} is longer than 10 bytes (integer overflow)`
    );
  }
  #done(p, lo, hi) {
    this.pos = p;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }
  /** Read 4 bytes little-endian, unsigned. */
  fixed32(what) {
    const p = this.pos;
    if (p + 4 > this.end) throw this.past(`${what}: fixed32`, p);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
  }
  /** Read 8 bytes little-endian; returns the low half and leaves the high one in `hi`. */
  fixed64(what) {
    const p = this.pos;
    if (p + 8 > this.end) throw this.past(`${what}: fixed64`, p);
    const b = this.buf;
    this.pos = p + 8;
    this.hi = (b[p + 4] | b[p + 5] << 8 | b[p + 6] << 16 | b[p + 7] << 24) >>> 0;
    return (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
  }
  /** Read a float32 (4 bytes LE). */
  float32(what) {
    const p = this.pos;
    if (p + 4 > this.end) throw this.past(`${what}: fixed32`, p);
    const b = this.buf;
    for (let i = 0; i < 4; i++) scratch2[i] = b[p + i];
    this.pos = p + 4;
    return scratchView2.getFloat32(0, true);
  }
  /** Read a float64 (8 bytes LE). */
  float64(what) {
    const p = this.pos;
    if (p + 8 > this.end) throw this.past(`${what}: fixed64`, p);
    const b = this.buf;
    for (let i = 0; i < 8; i++) scratch2[i] = b[p + i];
    this.pos = p + 8;
    return scratchView2.getFloat64(0, true);
  }
  /**
   * Read a varint length and check that many bytes remain before the
   * current end, so a forged length fails before anything is allocated.
   */
  length(what) {
    const at = this.pos;
    const n = this.varint(what);
    if (this.hi !== 0 || n > this.end - this.pos) {
      const len = this.hi !== 0 ? uint64Of(n, this.hi) : n;
      throw new DecodeError(
        `${what}: length ${len} at offset ${at - this.base} runs past the end (${this.end - this.pos} bytes left, body of ${this.size} bytes)`
      );
    }
    return n;
  }
  /** Read a length-prefixed UTF-8 string (invalid sequences become U+FFFD). */
  string(what) {
    const n = this.length(what);
    const p = this.pos;
    const b = this.buf;
    this.pos = p + n;
    return decodeUtf8(b, p, n);
  }
  /** Read length-prefixed bytes into a fresh copy (the body is never retained). */
  bytes(what) {
    const n = this.length(what);
    const p = this.pos;
    this.pos = p + n;
    const out = n === 0 ? new Uint8Array(NO_BYTES3) : new Uint8Array(n);
    const b = this.buf;
    if (n <= SHORT_COPY2) {
      for (let i = 0; i < n; i++) out[i] = b[p + i];
    } else out.set(b.subarray(p, p + n));
    return out;
  }
  /** Skip the payload of an unknown field, by its wire type (protoplus `skipField`). */
  skip(wt, what) {
    switch (wt) {
      case WIRE.varint:
      case WIRE.zigzag32:
      case WIRE.zigzag64:
        this.varint(what);
        return;
      case WIRE.bytes: {
        const n = this.length(what);
        this.pos += n;
        return;
      }
      case WIRE.fixed32:
        this.fixed32(what);
        return;
      case WIRE.fixed64:
        this.fixed64(what);
        return;
      default:
        throw this.badWireType(what, wt);
    }
  }
};

// src/codec/_protoplus_scalar.ts
var MIN_I642 = -(2n ** 63n);
var MAX_I642 = 2n ** 63n - 1n;
var MAX_U642 = 2n ** 64n - 1n;
var TWO_322 = 4294967296;
function describe2(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Uint8Array) return "a Uint8Array";
  switch (typeof v) {
    case "number":
      return `the number ${v}`;
    case "bigint":
      return `the bigint ${v}n`;
    case "string":
      return "a string";
    case "boolean":
      return `${v}`;
    case "undefined":
      return "undefined";
    default:
      return `a value of type ${typeof v}`;
  }
}
function bad2(path2, expected, v) {
  return new EncodeError(`${path2}: expected ${expected}, got ${describe2(v)}`);
}
function keyOf(index, wt) {
  return index * 8 + wt;
}
function varintSize(v) {
  let n = 1;
  while (v > 127) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
function int64Halves(v, path2, unsigned) {
  if (typeof v === "bigint") {
    if (unsigned ? v < 0n || v > MAX_U642 : v < MIN_I642 || v > MAX_I642) {
      throw bad2(
        path2,
        unsigned ? "a uint64 (bigint in 0..2^64-1)" : "an int64 (bigint in -2^63..2^63-1)",
        v
      );
    }
    if (v === 0n) return 0;
    halves.lo = loOf(v);
    halves.hi = hiOf(v);
    return halves;
  }
  if (typeof v === "number" && Number.isSafeInteger(v) && (!unsigned || v >= 0)) {
    if (v === 0) return 0;
    halves.lo = v >>> 0;
    halves.hi = Math.floor(v / TWO_322) >>> 0;
    return halves;
  }
  throw bad2(
    path2,
    unsigned ? "a uint64 (bigint, or a non-negative safe integer number)" : "an int64 (bigint, or a safe integer number)",
    v
  );
}
var halves = { lo: 0, hi: 0 };
function checkInt32(v, path2) {
  if (typeof v !== "number" || (v | 0) !== v) {
    throw bad2(path2, "an int32 (integer in -2147483648..2147483647)", v);
  }
  return v;
}
function checkUint32(v, path2) {
  if (typeof v !== "number" || v >>> 0 !== v) {
    throw bad2(path2, "a uint32 (integer in 0..4294967295)", v);
  }
  return v;
}
var SUPPORTED = "bool, int32, uint32, int64, uint64, float32, float64, string, bytes, struct or a slice of these";
function unsupported(path2, type, what = type.kind) {
  const hint = type.kind === "int8" || type.kind === "int16" ? " (protoplus has no 8- or 16-bit integers: use t.int32)" : type.kind === "uint8" || type.kind === "uint16" ? " (protoplus has no 8- or 16-bit integers: use t.uint32, or t.bytes for []byte)" : "";
  return new TypeError(
    `protoplus codec: ${path2}: unsupported field type ${what}${hint}; protoplus has ${SUPPORTED}`
  );
}
function compileScalar2(type, index, path2) {
  const what = path2;
  switch (type.kind) {
    case "bool": {
      const key2 = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "boolean") throw bad2(path2, "a boolean", v);
          if (!v) return;
          writeVarint32(w, key2);
          w.u8(1);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          return (r.varint(what) | r.hi) !== 0;
        }
      };
    }
    case "int32": {
      const keyV = keyOf(index, WIRE.varint);
      const keyF = keyOf(index, WIRE.fixed32);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const n = checkInt32(v, path2);
          if (n > 0) {
            writeVarint32(w, keyV);
            writeVarint32(w, n);
          } else if (n < 0) {
            writeVarint32(w, keyF);
            w.i32(n);
          }
        },
        dec: (r, wt) => {
          if (wt === WIRE.varint) return r.varint(what) | 0;
          if (wt === WIRE.fixed32) return r.fixed32(what) | 0;
          throw r.badWireType(what, wt);
        }
      };
    }
    case "uint32": {
      const key2 = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const n = checkUint32(v, path2);
          if (n === 0) return;
          writeVarint32(w, key2);
          writeVarint32(w, n);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          return r.varint(what);
        }
      };
    }
    case "int64": {
      const keyV = keyOf(index, WIRE.varint);
      const keyF = keyOf(index, WIRE.fixed64);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const h = int64Halves(v, path2, false);
          if (h === 0) return;
          if ((h.hi | 0) >= 0) {
            writeVarint32(w, keyV);
            writeVarint64(w, h.lo, h.hi);
          } else {
            writeVarint32(w, keyF);
            w.u32(h.lo);
            w.u32(h.hi);
          }
        },
        dec: (r, wt) => {
          let lo;
          if (wt === WIRE.varint) lo = r.varint(what);
          else if (wt === WIRE.fixed64) lo = r.fixed64(what);
          else throw r.badWireType(what, wt);
          return int64Of(lo, r.hi);
        }
      };
    }
    case "uint64": {
      const key2 = keyOf(index, WIRE.varint);
      return {
        usesPrev: false,
        enc: (v, w) => {
          const h = int64Halves(v, path2, true);
          if (h === 0) return;
          writeVarint32(w, key2);
          writeVarint64(w, h.lo, h.hi);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.varint) throw r.badWireType(what, wt);
          const lo = r.varint(what);
          return uint64Of(lo, r.hi);
        }
      };
    }
    case "float32": {
      const key2 = keyOf(index, WIRE.fixed32);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "number") throw bad2(path2, "a number (float32)", v);
          if (Math.fround(v) === 0) return;
          writeVarint32(w, key2);
          w.f32(v);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.fixed32) throw r.badWireType(what, wt);
          return r.float32(what);
        }
      };
    }
    case "float64": {
      const key2 = keyOf(index, WIRE.fixed64);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "number") throw bad2(path2, "a number (float64)", v);
          if (v === 0) return;
          writeVarint32(w, key2);
          w.f64(v);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.fixed64) throw r.badWireType(what, wt);
          return r.float64(what);
        }
      };
    }
    case "string": {
      const key2 = keyOf(index, WIRE.bytes);
      return {
        usesPrev: false,
        enc: (v, w) => {
          if (typeof v !== "string") throw bad2(path2, "a string", v);
          if (v === "") return;
          writeVarint32(w, key2);
          const at = beginLength(w);
          writeUtf8(w, v);
          endLength(w, at);
        },
        dec: (r, wt) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          return r.string(what);
        }
      };
    }
    case "bytes": {
      const key2 = keyOf(index, WIRE.bytes);
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!(v instanceof Uint8Array)) throw bad2(path2, "a Uint8Array", v);
          if (v.length === 0) return;
          writeVarint32(w, key2);
          writeVarint32(w, v.length);
          w.bytes(v);
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const got = r.bytes(what);
          if (!(prev instanceof Uint8Array) || prev.length === 0) return got;
          const joined = new Uint8Array(prev.length + got.length);
          joined.set(prev);
          joined.set(got, prev.length);
          return joined;
        }
      };
    }
    default:
      throw unsupported(path2, type);
  }
}

// src/codec/_protoplus_fields.ts
var emptyStringBytes = 0;
function target(prev) {
  return Array.isArray(prev) ? prev : [];
}
var PACKED = {
  int32: [
    (v, w, path2) => {
      const n = checkInt32(v, path2);
      if (n >= 0) writeVarint32(w, n);
      else writeVarint64(w, n >>> 0, 4294967295);
    },
    (lo) => lo | 0
  ],
  uint32: [(v, w, path2) => writeVarint32(w, checkUint32(v, path2)), (lo) => lo],
  int64: [
    (v, w, path2) => {
      const h = int64Halves(v, path2, false);
      if (h === 0) w.u8(0);
      else writeVarint64(w, h.lo, h.hi);
    },
    int64Of
  ],
  uint64: [
    (v, w, path2) => {
      const h = int64Halves(v, path2, true);
      if (h === 0) w.u8(0);
      else writeVarint64(w, h.lo, h.hi);
    },
    uint64Of
  ]
};
function compileSlice2(type, index, path2) {
  const elem = type.elem;
  const key2 = keyOf(index, WIRE.bytes);
  const what = path2;
  const packed = PACKED[elem.kind];
  if (packed) {
    const [write, read] = packed;
    return {
      usesPrev: true,
      enc: (v, w) => {
        if (!Array.isArray(v)) throw bad2(path2, "an array", v);
        const n = v.length;
        if (n === 0) return;
        writeVarint32(w, key2);
        const at = beginLength(w);
        for (let i = 0; i < n; i++) write(v[i], w, path2);
        endLength(w, at);
      },
      dec: (r, wt, prev) => {
        if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
        const n = r.length(what);
        const limit = r.pos + n;
        const end = r.end;
        const out = target(prev);
        r.end = limit;
        while (r.pos < limit) {
          const lo = r.varint(what);
          out.push(read(lo, r.hi));
        }
        r.end = end;
        return out;
      }
    };
  }
  switch (elem.kind) {
    case "bool":
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad2(path2, "an array", v);
          const n = v.length;
          if (n === 0) return;
          writeVarint32(w, key2);
          writeVarint32(w, n);
          for (let i = 0; i < n; i++) {
            const b = v[i];
            if (typeof b !== "boolean") throw bad2(`${path2}[${i}]`, "a boolean", b);
            w.u8(b ? 1 : 0);
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const n = r.length(what);
          const out = target(prev);
          const b = r.buf;
          for (let i = 0; i < n; i++) {
            const c = b[r.pos];
            if (c > 1) {
              throw new DecodeError(`${what}: bad bool value ${c} at offset ${r.pos - r.base}`);
            }
            out.push(c === 1);
            r.pos++;
          }
          return out;
        }
      };
    case "float32":
    case "float64": {
      const width = elem.kind === "float32" ? 4 : 8;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad2(path2, "an array", v);
          const n = v.length;
          if (n === 0) return;
          writeVarint32(w, key2);
          writeVarint32(w, n * width);
          for (let i = 0; i < n; i++) {
            const f = v[i];
            if (typeof f !== "number") throw bad2(`${path2}[${i}]`, `a number (${elem.kind})`, f);
            if (width === 4) w.f32(f);
            else w.f64(f);
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const n = r.length(what);
          const limit = r.pos + n;
          const end = r.end;
          const out = target(prev);
          r.end = limit;
          while (r.pos < limit) out.push(width === 4 ? r.float32(what) : r.float64(what));
          r.end = end;
          return out;
        }
      };
    }
    case "string": {
      const emptySize = varintSize(key2) + 1;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad2(path2, "an array", v);
          for (let i = 0; i < v.length; i++) {
            const s = v[i];
            if (typeof s !== "string") throw bad2(`${path2}[${i}]`, "a string", s);
            writeVarint32(w, key2);
            const at = beginLength(w);
            writeUtf8(w, s);
            endLength(w, at);
            if (s === "") emptyStringBytes += emptySize;
          }
        },
        dec: (r, wt, prev) => {
          if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
          const out = target(prev);
          out.push(r.string(what));
          return out;
        }
      };
    }
    case "struct": {
      const members = compileMembers3(elem.fields, path2 + "[]");
      const zero = elem.zero;
      return {
        usesPrev: true,
        enc: (v, w) => {
          if (!Array.isArray(v)) throw bad2(path2, "an array", v);
          for (let i = 0; i < v.length; i++) writeStruct(w, key2, v[i], members, `${path2}[${i}]`);
        },
        dec: (r, wt, prev) => {
          const out = target(prev);
          out.push(readStruct(r, wt, zero(), members, what));
          return out;
        }
      };
    }
    default:
      throw unsupported(path2, type, `[]${elem.kind}`);
  }
}
function writeStruct(w, key2, v, members, path2) {
  if (typeof v !== "object" || v === null) throw bad2(path2, "an object", v);
  const start = w.pos;
  writeVarint32(w, key2);
  const at = beginLength(w);
  const outer = emptyStringBytes;
  emptyStringBytes = 0;
  try {
    members.encodeMembers(v, w);
  } finally {
    const phantom = emptyStringBytes;
    emptyStringBytes = outer;
    if (w.pos - at - 1 === phantom) w.pos = start;
  }
  if (w.pos !== start) endLength(w, at);
}
function readStruct(r, wt, into, members, what) {
  if (wt !== WIRE.bytes) throw r.badWireType(what, wt);
  const n = r.length(what);
  const limit = r.pos + n;
  const end = r.end;
  r.end = limit;
  members.decodeMembers(into, r);
  r.end = end;
  return into;
}
function compileStruct2(type, index, path2) {
  const members = compileMembers3(type.fields, path2);
  const key2 = keyOf(index, WIRE.bytes);
  const zero = type.zero;
  return {
    usesPrev: true,
    enc: (v, w) => writeStruct(w, key2, v, members, path2),
    // A second occurrence decodes into the same struct, as in Go.
    dec: (r, wt, prev) => {
      const into = typeof prev === "object" && prev !== null ? prev : zero();
      return readStruct(r, wt, into, members, path2);
    }
  };
}
function compileField(type, index, path2) {
  let plan;
  if (type.kind === "slice") plan = compileSlice2(type, index, path2);
  else if (type.kind === "struct") plan = compileStruct2(type, index, path2);
  else plan = compileScalar2(type, index, path2);
  return type.ignored ? { ...plan, enc: () => {
  } } : plan;
}
function compileMembers3(fields, path2) {
  const names2 = Object.keys(fields);
  const plans = names2.map((n, i) => compileField(fields[n], i, `${path2}.${n}`));
  return {
    encodeMembers: encodeMembers(names2, plans.map((p) => p.enc)),
    decodeMembers: decodeSwitch(names2, plans, path2)
  };
}

// src/codec/protoplus.ts
var spareReader2 = new WireReader();
function bindProtoplus(shape) {
  if (!shape.fields) {
    throw new TypeError(
      `protoplus codec: message ${shape.name} declares no fields (the protoplus codec needs a schema)`
    );
  }
  t.struct(shape.fields);
  const name = shape.name;
  const create = shape.create;
  const { decodeMembers: decodeMembers2, encodeMembers: encodeMembers2 } = compileMembers3(shape.fields, name);
  const decodeRange = (buf, start, end) => {
    const r = spareReader2 ?? new WireReader();
    spareReader2 = null;
    try {
      const msg = create();
      r.resetRange(buf, start, end);
      decodeMembers2(msg, r);
      return msg;
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      r.release();
      spareReader2 = r;
    }
  };
  return {
    encode(message, out) {
      if (typeof message !== "object" || message === null) {
        throw new EncodeError(
          `${name}: expected a message object, got ${message === null ? "null" : typeof message}`
        );
      }
      encodeMembers2(message, out);
    },
    decode(body) {
      return decodeRange(body, 0, body.length);
    },
    decodeRange
  };
}
var protoplusCodec = Object.freeze({
  name: "protoplus",
  mimeType: "application/binary",
  bind: bindProtoplus
});
registerCodec(protoplusCodec);

// src/message/_message_class.ts
function messageClass(fields) {
  const names2 = Object.keys(fields);
  const zeros = names2.map((n) => fields[n].zero);
  try {
    return generated(names2, zeros);
  } catch {
    return looped(names2, zeros);
  }
}
function literal(zero) {
  switch (typeof zero) {
    case "string":
      return JSON.stringify(zero);
    case "number":
      return Object.is(zero, -0) ? "-0" : String(zero);
    case "boolean":
      return String(zero);
    case "bigint":
      return `${zero}n`;
    default:
      return void 0;
  }
}
function generated(names2, zeros) {
  const lines = names2.map((name, i) => {
    const key2 = JSON.stringify(name);
    const zero = literal(zeros[i]()) ?? `zeros[${i}]()`;
    return `v = init === undefined ? undefined : init[${key2}]; this[${key2}] = v === undefined ? ${zero} : v;`;
  });
  const body = `"use strict"; return class { constructor(init) { var v; ${lines.join(" ")} } };`;
  return new Function("zeros", body)(zeros);
}
function looped(names2, zeros) {
  return class {
    constructor(init) {
      const self = this;
      for (let i = 0; i < names2.length; i++) {
        const v = init?.[names2[i]];
        self[names2[i]] = v === void 0 ? zeros[i]() : v;
      }
    }
  };
}

// src/message/define.ts
function defineMessage(name, fields, options = {}) {
  const Message = messageClass(fields);
  Object.defineProperty(Message, "name", { value: name.slice(name.lastIndexOf(".") + 1) });
  const meta = registerMessageMeta({
    name,
    type: Message,
    fields,
    codec: options.codec,
    id: options.id
  });
  Object.defineProperty(Message, "meta", { value: meta, enumerable: false });
  return Message;
}

// src/message/cellnet_messages.ts
var envelope = { MsgID: t.uint32, Data: t.bytes, CallID: t.int64 };
var RemoteCallREQ = defineMessage(
  "rpc.RemoteCallREQ",
  envelope,
  { codec: "protoplus", id: 58645 }
);
var RemoteCallACK = defineMessage(
  "rpc.RemoteCallACK",
  envelope,
  { codec: "protoplus", id: 20476 }
);
var RelayACK = defineMessage(
  "relay.RelayACK",
  {
    Msg: t.bytes,
    MsgID: t.uint32,
    Bytes: t.bytes,
    Int64: t.int64,
    Int64Slice: t.slice(t.int64),
    Str: t.string
  },
  { codec: "protoplus", id: 45545 }
);

// src/message/encode.ts
function encodeMessage(message) {
  const meta = messageMetaByMsg(message);
  if (meta === void 0 || meta.system) {
    const name = message?.constructor?.name ?? typeof message;
    throw new UnregisteredMessageError(
      `cannot encode ${name}: its type is not a registered message`
    );
  }
  const out = new ByteWriter(64);
  meta.bound.encode(message, out);
  return { id: meta.id, body: out.view().slice() };
}
function decodeMessage(id, body) {
  const meta = messageMetaById(id);
  if (meta === void 0 || meta.system) throw new UnknownMessageError(id);
  try {
    return meta.bound.decode(body);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    const why = e instanceof ProtocolError ? e.message : String(e?.message ?? e);
    throw new DecodeError(`${meta.name} (id ${id}): ${why}`, { cause: e });
  }
}

// src/msglog/go_logger.ts
var LEVELS = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };
var BLUE = "\x1B[034m";
var PURPLE = "\x1B[035m";
var RESET = "\x1B[0m";
var COLOR_RULES = [
  ["panic:", "\x1B[031m"],
  ["[DB]", "\x1B[032m"],
  ...["http", "tcp", "ws", "udp", "rpc", "relay", "agent"].flatMap(
    (p) => [
      [`#${p}.listen`, BLUE],
      [`#${p}.accepted`, BLUE],
      [`#${p}.closed`, BLUE],
      [`#${p}.recv`, BLUE],
      [`#${p}.send`, PURPLE],
      [`#${p}.connected`, BLUE]
    ]
  )
];
var GoLogger = class {
  /** The logger's name, the second part of each line (`tcpproc`, `rpc`, `relay`). */
  name;
  #color;
  #min;
  #write;
  #now;
  /** Create a logger named `name`. */
  constructor(name, options = {}) {
    this.name = name;
    this.#color = options.color ?? false;
    this.#min = LEVELS[options.level ?? "debug"];
    this.#write = options.write ?? ((line) => console.log(line));
    this.#now = options.now ?? (() => /* @__PURE__ */ new Date());
  }
  /** A `[DEBU]` line. */
  debug(message) {
    if (this.#min <= 0) this.#line("[DEBU]", message, "");
  }
  /** An `[INFO]` line. */
  info(message) {
    if (this.#min <= 1) this.#line("[INFO]", message, "");
  }
  /** A `[WARN]` line (yellow with colour); the error's message follows the text. */
  warn(message, error) {
    if (this.#min <= 2) this.#line("[WARN]", withError(message, error), "\x1B[033m");
  }
  /** An `[ERRO]` line (red with colour); the error's message follows the text. */
  error(message, error) {
    if (this.#min <= 3) this.#line("[ERRO]", withError(message, error), "\x1B[031m");
  }
  #line(level, text, levelColor) {
    const line = `${level} ${this.name} ${stamp(this.#now())} ${text}`;
    if (!this.#color) return this.#write(line);
    const color = levelColor || COLOR_RULES.find(([t2]) => text.includes(t2))?.[1];
    this.#write(color ? color + line + RESET : line);
  }
};
function withError(message, error) {
  if (error === void 0) return message;
  return `${message} ${error instanceof Error ? error.message : String(error)}`;
}
function stamp(d) {
  const p = (n) => (n < 10 ? "0" : "") + n;
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// src/msglog/rules.ts
var MsgLogMode = {
  /** Every message, lists ignored. */
  ShowAll: 0,
  /** No message. */
  Mute: 1,
  /** Every message but those on the black list (the default). */
  BlackList: 2,
  /** Only messages on the white list (system events too: they must be listed). */
  WhiteList: 3
};
var blackList = /* @__PURE__ */ new Set();
var whiteList = /* @__PURE__ */ new Set();
var mode = MsgLogMode.BlackList;
function isMsgLogValid(id) {
  switch (mode) {
    case MsgLogMode.BlackList:
      return !blackList.has(id);
    case MsgLogMode.WhiteList:
      return whiteList.has(id);
    case MsgLogMode.Mute:
      return false;
    default:
      return true;
  }
}

// src/msglog/_go_text.ts
var COMPACT_SLICE_MAX = 50;
function goFloat(value, bits) {
  const x = bits === 32 ? Math.fround(value) : value;
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = (bits === 32 ? shortestFloat32(x) : x).toExponential();
  const [mantissa, e] = exp.split("e");
  const neg = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const power = Number(e);
  let out;
  if (power < -4 || power >= 6) {
    const abs = Math.abs(power);
    out = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" + (power < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
  } else if (power >= 0) {
    const whole = digits.slice(0, power + 1).padEnd(power + 1, "0");
    const frac = digits.slice(power + 1);
    out = frac ? `${whole}.${frac}` : whole;
  } else {
    out = "0." + "0".repeat(-power - 1) + digits;
  }
  return neg ? "-" + out : out;
}
function shortestFloat32(x) {
  for (let p = 1; p < 10; p++) {
    const candidate = Number(x.toPrecision(p));
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}
function goValue(value, type) {
  switch (type?.kind) {
    case "string":
      return String(value);
    case "float32":
      return goFloat(Number(value), 32);
    case "float64":
      return goFloat(Number(value), 64);
    case "bytes":
      return `[${Array.prototype.join.call(value, " ")}]`;
    case "slice":
      return `[${value.map((e) => goValue(e, type.elem)).join(" ")}]`;
    case "struct":
      return goStruct(value, type.fields);
    case void 0:
      return untyped(value);
    default:
      return String(value);
  }
}
function goStruct(value, fields) {
  const obj = value;
  const names2 = fields ? Object.keys(fields) : Object.keys(obj);
  return `{${names2.map((n) => `${n}:${goValue(obj[n], fields?.[n])}`).join(" ")}}`;
}
function untyped(value) {
  if (value === null || value === void 0) return "<nil>";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : goFloat(value, 64);
  }
  if (value instanceof Uint8Array) return `[${Array.prototype.join.call(value, " ")}]`;
  if (Array.isArray(value)) return `[${value.map(untyped).join(" ")}]`;
  if (typeof value === "object") return goStruct(value, void 0);
  return String(value);
}
function compactText(value, fields, skip) {
  const obj = value;
  let out = "";
  for (const name of fields ? Object.keys(fields) : Object.keys(obj)) {
    if (skip?.has(name)) continue;
    const type = fields?.[name];
    const v = obj[name];
    const kind = type?.kind;
    if (kind === "slice" || kind === "bytes" || v instanceof Uint8Array || Array.isArray(v)) {
      const list = v;
      const len = list?.length ?? 0;
      if (len === 0) continue;
      const elem = kind === "slice" ? type.elem : void 0;
      const items = len > COMPACT_SLICE_MAX ? `len: ${len}` : Array.prototype.map.call(list, (e) => compactAny(e, elem)).join(" ");
      out += `${name}:[${items}] `;
      continue;
    }
    if (kind !== "struct" && isZero(v)) continue;
    out += `${name}:${compactAny(v, type)} `;
  }
  return out;
}
function isZero(v) {
  return v === 0 || v === 0n || v === false || v === "" || v === void 0 || v === null;
}
function compactAny(v, type) {
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    if (type?.kind === "float32") return goFloat(v, 32);
    return Number.isInteger(v) && type?.kind !== "float64" ? String(v) : goFloat(v, 64);
  }
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array) && !Array.isArray(v)) {
    return `{${compactText(v, type?.fields)}}`;
  }
  return String(v);
}
function quote(s) {
  return `"${s.replace(/[\n\r\t"\\]/g, (c) => ESCAPES[c])}"`;
}
var ESCAPES = {
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t",
  '"': '\\"',
  "\\": "\\\\"
};

// src/msglog/text.ts
var RELAY_HIDDEN = /* @__PURE__ */ new Set(["Msg", "MsgID", "Bytes"]);
function messageToName(message) {
  const meta = metaOf(message);
  if (meta === void 0) return "";
  return meta.name.slice(meta.name.lastIndexOf(".") + 1);
}
function messageToID(message) {
  return metaOf(message)?.id ?? 0;
}
function messageSize(message) {
  const meta = metaOf(message);
  if (meta === void 0) return 0;
  if (meta.system) return message instanceof SessionClosed ? 4 : 0;
  const out = scratch3;
  out.reset();
  try {
    meta.bound.encode(message, out);
  } catch {
    return 0;
  }
  return out.pos;
}
var scratch3 = new ByteWriter(256);
function messageToString(message) {
  if (message === void 0 || message === null) return "";
  if (typeof message !== "object") return String(message);
  const meta = messageMetaByMsg(message);
  if (meta?.system) {
    return message instanceof SessionClosed ? `{Reason:${closeReasonName(message.reason)}}` : "{}";
  }
  if (hasOwnToString(message)) return String(message);
  if (meta?.codec.name === "protoplus") {
    return compactText(
      message,
      meta.fields,
      message instanceof RelayACK ? RELAY_HIDDEN : void 0
    );
  }
  return "&" + goStruct(message, meta?.fields);
}
function metaOf(message) {
  return message !== null && typeof message === "object" ? messageMetaByMsg(message) : void 0;
}
function hasOwnToString(message) {
  for (let p = Object.getPrototypeOf(message); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "toString")) return true;
  }
  return Object.hasOwn(message, "toString");
}

// src/msglog/_peer_state.ts
var PeerMsgLog = class {
  /** Whether the peer writes message lines. */
  enabled = false;
  #factory = (name) => new GoLogger(name);
  #loggers = /* @__PURE__ */ new Map();
  /** Turn the log on with these loggers. */
  enable(factory) {
    this.#factory = factory;
    this.#loggers.clear();
    this.enabled = true;
  }
  /** The logger called `name`. */
  logger(name) {
    let l = this.#loggers.get(name);
    if (l === void 0) this.#loggers.set(name, l = this.#factory(name));
    return l;
  }
  /** `#tcp.recv(peer)@id len: N Type | text` (or `.send`), if the message passes the rules. */
  message(logName, protocol, dir, session, message) {
    const msg = peekMessage(message);
    if (!isMsgLogValid(messageToID(msg))) return;
    this.logger(logName).debug(
      `#${protocol}.${dir}(${session.peer.name})@${session.id} len: ${messageSize(msg)} ${messageToName(msg)} | ${messageToString(msg)}`
    );
  }
  /** `#rpc.recv(peer)@id …` for the inner message of an envelope with inner id `id`. */
  rpc(dir, session, id, inner) {
    if (!isMsgLogValid(id)) return;
    this.logger("rpc").debug(
      `#rpc.${dir}(${session.peer.name})@${session.id} len: ${messageSize(inner)} ${messageToName(inner)} | ${messageToString(inner)}`
    );
  }
  /** `#relay.recv(peer)@id len: N Type {pass-through}| text`. */
  relay(dir, session, ack, inner) {
    if (!isMsgLogValid(ack.MsgID)) return;
    this.logger("relay").debug(
      `#relay.${dir}(${session.peer.name})@${session.id} len: ${messageSize(inner)} ${messageToName(inner)} {${messageToString(ack)}}| ${messageToString(inner)}`
    );
  }
};
var states = /* @__PURE__ */ new WeakMap();
function peerMsgLog(peer) {
  let s = states.get(peer);
  if (s === void 0) states.set(peer, s = new PeerMsgLog());
  return s;
}
function peekMessage(message) {
  if (!(message instanceof RawPacket)) return message;
  try {
    return decodeMessage(message.msgId, message.msgData);
  } catch {
    return void 0;
  }
}

// src/log.ts
var order = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };
function consoleLogger(level = "info") {
  const min = order[level];
  const stamp2 = () => (/* @__PURE__ */ new Date()).toISOString();
  return {
    debug: (m) => {
      if (min <= 0) console.error(`${stamp2()} DEBU ${m}`);
    },
    info: (m) => {
      if (min <= 1) console.error(`${stamp2()} INFO ${m}`);
    },
    warn: (m, e) => {
      if (min <= 2) console.warn(`${stamp2()} WARN ${m}`, ...e === void 0 ? [] : [e]);
    },
    error: (m, e) => {
      if (min <= 3) console.error(`${stamp2()} ERRO ${m}`, ...e === void 0 ? [] : [e]);
    }
  };
}
var defaultLogger = consoleLogger("info");
function getDefaultLogger() {
  return defaultLogger;
}

// src/queue/event_queue.ts
var EventQueue = class {
  // Two parallel arrays instead of one closure per event: the hot path posts
  // (handler, event) pairs without allocating.
  #tasks = [];
  #args = [];
  #head = 0;
  #scheduled = false;
  #running = false;
  #stopping = false;
  #waiters = [];
  /** Removes the abort listener of the signal the running loop was started with. */
  #unlisten;
  #drain = () => this.#run();
  /** Where errors thrown by callbacks are reported. */
  logger;
  /** Called with each error a callback throws or rejects with, after it is logged. */
  onError;
  /** Create a queue; `logger` defaults to the process-wide default logger. */
  constructor(options = {}) {
    this.logger = options.logger ?? getDefaultLogger();
  }
  /** True between {@link startLoop} and {@link stopLoop}. */
  get running() {
    return this.#running;
  }
  /** Number of callbacks waiting. */
  get count() {
    return this.#tasks.length - this.#head;
  }
  /**
   * Start running posted callbacks (cellnet's `StartLoop`). Returns the
   * queue. When `signal` aborts, the loop stops as with {@link stopLoop};
   * the signal is forgotten once this loop stops or is started again.
   */
  startLoop(signal) {
    this.#forgetSignal();
    this.#running = true;
    this.#stopping = false;
    this.#schedule();
    if (signal) {
      if (signal.aborted) {
        this.stopLoop();
      } else {
        const onAbort = () => {
          this.#unlisten = void 0;
          this.stopLoop();
        };
        signal.addEventListener("abort", onAbort, { once: true });
        this.#unlisten = () => signal.removeEventListener("abort", onAbort);
      }
    }
    return this;
  }
  /**
   * Stop after the callbacks already posted have run (cellnet's `StopLoop`);
   * {@link wait} resolves then. Posts after this still queue and run after a
   * later {@link startLoop}.
   */
  stopLoop() {
    this.#forgetSignal();
    this.#stopping = true;
    this.#schedule();
    return this;
  }
  /** Resolves when the loop has stopped (cellnet's `Wait`). */
  wait() {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  /** Queue a callback (cellnet's `Post`). */
  post(callback2) {
    this.postCall(callback2, void 0);
  }
  /** Queue `fn(arg)` without allocating a closure; the event path uses this. */
  postCall(fn, arg) {
    this.#tasks.push(fn);
    this.#args.push(arg);
    if (this.#running) this.#schedule();
  }
  #forgetSignal() {
    const unlisten = this.#unlisten;
    this.#unlisten = void 0;
    unlisten?.();
  }
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(this.#drain);
  }
  #run() {
    this.#scheduled = false;
    if (this.#running) {
      const tasks = this.#tasks;
      const args = this.#args;
      while (this.#head < tasks.length) {
        const i = this.#head++;
        const fn = tasks[i];
        const arg = args[i];
        tasks[i] = void 0;
        args[i] = void 0;
        invokeReporting(fn, arg, this);
      }
      tasks.length = 0;
      args.length = 0;
      this.#head = 0;
    }
    if (this.#stopping) {
      this.#stopping = false;
      this.#running = false;
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w();
    }
  }
};
function describeCall(arg) {
  const ev = arg;
  const s = typeof arg === "object" && arg !== null ? ev.session : void 0;
  if (s === void 0 || !("message" in arg)) return "queued callback";
  const where = s.remoteAddress ? ` (${s.remoteAddress})` : "";
  return `[${s.peer?.name}] session ${s.id}${where}: handler on ${messageName(ev.message)}`;
}
function invokeReporting(fn, arg, reporter) {
  try {
    const result = fn(arg);
    if (result !== void 0 && typeof result.then === "function") {
      result.then(void 0, (e) => report(reporter, e, arg));
    }
  } catch (e) {
    report(reporter, e, arg);
  }
}
function report(reporter, error, arg) {
  reporter.logger.error(`${describeCall(arg)} failed`, error);
  try {
    reporter.onError?.(error);
  } catch {
  }
}

// src/relay/broadcaster.ts
var global;
var perPeer = /* @__PURE__ */ new WeakMap();
function broadcasterOf(peer) {
  return perPeer.get(peer) ?? global;
}

// src/session/_target.ts
function targetSession(target2, who) {
  const t2 = target2;
  if (t2 !== null && typeof t2 === "object") {
    if (typeof t2.send === "function" && "peer" in t2) return t2;
    const s = t2.session;
    if (s !== null && typeof s === "object" && typeof s.send === "function") return s;
  }
  throw new TypeError(
    `${who}: target must be a Session or a connector (an object with .session), got ${t2 === null ? "null" : typeof t2}`
  );
}

// src/relay/relay.ts
var NO_IDS = [];
function relay(target2, message, passThrough = {}) {
  const session = targetSession(target2, "relay.relay");
  const ack = new RelayACK({
    Bytes: passThrough.bytes,
    Int64: passThrough.int64 === void 0 ? 0n : int64(passThrough.int64),
    Int64Slice: passThrough.int64Slice?.map(int64) ?? NO_IDS,
    Str: passThrough.str
  });
  if (message !== void 0 && message !== null) {
    const { id, body } = encodeMessage(message);
    ack.MsgID = id;
    ack.Msg = body;
  }
  return session.send(ack);
}
function int64(v) {
  if (typeof v === "bigint") return v;
  if (!Number.isInteger(v)) {
    throw new TypeError(`relay.relay: pass-through int64 must be an integer, got ${v}`);
  }
  return BigInt(v);
}

// src/relay/recv_event.ts
var RecvMsgEvent = class {
  /** The session the relay came on. */
  session;
  /** The inner message, or undefined when the relay carried none. */
  message;
  /** The envelope as received. */
  ack;
  /** The pass-through values. */
  passThrough;
  /** Wrap a received relay; the relay hooker makes these. */
  constructor(session, message, ack) {
    this.session = session;
    this.message = message;
    this.ack = ack;
    this.passThrough = {
      int64: ack.Int64,
      int64Slice: ack.Int64Slice,
      str: ack.Str,
      bytes: ack.Bytes
    };
  }
  /** Relay `message` back on this session with this relay's int64, int64Slice and str. */
  reply(message) {
    const { int64: int642, int64Slice, str } = this.passThrough;
    return relay(this.session, message, { int64: int642, int64Slice, str });
  }
};

// src/relay/_resolve.ts
function resolveRelay(ev, ack, log) {
  let inner;
  if (ack.MsgID !== 0) {
    try {
      inner = decodeMessage(ack.MsgID & 65535, ack.Msg);
    } catch (e) {
      ev.session.peer.logger.warn(`relay.ResoleveInboundEvent: ${e.message}`);
      return void 0;
    }
  }
  if (log.enabled) log.relay("recv", ev.session, ack, inner);
  const out = new RecvMsgEvent(ev.session, inner, ack);
  const peer = ev.session.peer;
  const broadcaster = broadcasterOf(peer);
  if (broadcaster) {
    if (peer.queue) peer.queue.postCall(broadcaster, out);
    else invokeReporting(broadcaster, out, peer);
  }
  return out;
}

// src/timer/_long_timeout.ts
var MAX_TIMEOUT_MS = 2 ** 31 - 1;

// src/rpc/_pending.ts
var counters = { pending: 0, lateReplies: 0, timeouts: 0 };
var callsBySession = /* @__PURE__ */ new WeakMap();
function pendingCall(session, id) {
  return callsBySession.get(session)?.get(id);
}
var typedBySession = /* @__PURE__ */ new WeakMap();
var typedOutstanding = 0;
function hasTypedCalls() {
  return typedOutstanding > 0;
}
function takeTyped(session, message) {
  const state = typedBySession.get(session);
  if (state === void 0) return false;
  const type = message.constructor;
  const late = state.late.get(type);
  if (late !== void 0) {
    if (late <= 1) state.late.delete(type);
    else state.late.set(type, late - 1);
    typedOutstanding--;
    counters.lateReplies++;
    return true;
  }
  const call2 = state.fifo.get(type)?.[0];
  if (call2 === void 0) return false;
  call2.resolveWith(message);
  return true;
}
function failSession(session, error) {
  const calls = callsBySession.get(session);
  if (calls !== void 0 && calls.size > 0) {
    for (const c of [...calls.values()]) {
      c.fail(error());
    }
  }
  const state = typedBySession.get(session);
  if (state === void 0) return;
  for (const queue2 of state.fifo.values()) for (const c of [...queue2]) c.fail(error());
  for (const n of state.late.values()) typedOutstanding -= n;
  state.late.clear();
}

// src/rpc/recv_event.ts
var RecvMsgEvent2 = class {
  /** The session the request came on. */
  session;
  /** The decoded inner message. */
  message;
  /** The caller's CallID, echoed in the reply. */
  callId;
  /** Wrap a request; the rpc hooker makes these. */
  constructor(session, message, callId) {
    this.session = session;
    this.message = message;
    this.callId = callId;
  }
  /**
   * Answer the call: `message` in its own codec inside a `RemoteCallACK`
   * with this call's id. Returns what `session.send` returns; throws its
   * errors (`EncodeError`, `UnregisteredMessageError`).
   */
  reply(message) {
    const { id, body } = encodeMessage(message);
    return this.session.send(new RemoteCallACK({ MsgID: id, Data: body, CallID: this.callId }));
  }
};

// src/rpc/_resolve.ts
function resolveRequest(ev, req, log) {
  const inner = decodeInner(ev, req.MsgID, req.Data);
  if (inner === void 0) return void 0;
  if (log.enabled) log.rpc("recv", ev.session, req.MsgID & 65535, inner);
  return new RecvMsgEvent2(ev.session, inner, req.CallID);
}
function resolveReply(ev, ack, log) {
  const id = Number(ack.CallID);
  const pending = pendingCall(ev.session, id);
  let inner;
  try {
    inner = decodeMessage(ack.MsgID & 65535, ack.Data);
  } catch (e) {
    ev.session.peer.logger.warn(`rpc.ResolveInboundEvent: ${e.message}`);
    pending?.fail(e);
    return void 0;
  }
  if (log.enabled) log.rpc("recv", ev.session, ack.MsgID & 65535, inner);
  if (pending) pending.resolveWith(inner);
  else counters.lateReplies++;
  return void 0;
}
function failSessionCalls(ev) {
  failSession(
    ev.session,
    () => new RpcSessionClosedError(`the session closed before the rpc reply came`)
  );
}
function decodeInner(ev, msgId, data) {
  try {
    return decodeMessage(msgId & 65535, data);
  } catch (e) {
    ev.session.peer.logger.warn(`rpc.ResolveInboundEvent: ${e.message}`);
    return void 0;
  }
}

// src/processor/msg_hooker.ts
var MsgHooker = class {
  #log;
  #protocol;
  #logName;
  #outbound = (ev) => this.#logOutbound(ev);
  /** The hooker of `peer`'s sessions. */
  constructor(peer, options = {}) {
    this.#log = peerMsgLog(peer);
    this.#protocol = options.protocol ?? "tcp";
    this.#logName = options.logName ?? `${this.#protocol}proc`;
  }
  /** Unwrap rpc and relay envelopes, settle replies, log; see the module doc. */
  onInboundEvent(ev) {
    const msg = ev.message;
    const type = msg.constructor;
    if (type === RemoteCallREQ) return resolveRequest(ev, msg, this.#log);
    if (type === RemoteCallACK) return resolveReply(ev, msg, this.#log);
    if (type === RelayACK) return resolveRelay(ev, msg, this.#log);
    if (this.#log.enabled) {
      this.#log.message(this.#logName, this.#protocol, "recv", ev.session, msg);
    }
    if (type === SessionClosed) failSessionCalls(ev);
    else if (hasTypedCalls() && takeTyped(ev.session, msg)) return void 0;
    return ev;
  }
  /** Present only while the peer's message log is on: it logs and passes every message. */
  get onOutboundEvent() {
    return this.#log.enabled ? this.#outbound : void 0;
  }
  #logOutbound(ev) {
    const msg = ev.message;
    const type = msg.constructor;
    const log = this.#log;
    try {
      if (type === RemoteCallREQ || type === RemoteCallACK) {
        const env = msg;
        log.rpc(
          "send",
          ev.session,
          env.MsgID & 65535,
          decodeMessage(env.MsgID & 65535, env.Data)
        );
      } else if (type === RelayACK) {
        const ack = msg;
        log.relay(
          "send",
          ev.session,
          ack,
          ack.MsgID === 0 ? void 0 : decodeMessage(ack.MsgID & 65535, ack.Msg)
        );
      } else {
        log.message(this.#logName, this.#protocol, "send", ev.session, msg);
      }
    } catch (e) {
      const what = type === RelayACK ? "relay" : "rpc";
      ev.session.peer.logger.warn(`${what}.ResolveOutboundEvent: ${e.message}`);
    }
    return ev;
  }
};

// src/processor/hooker.ts
var MultiHooker = class {
  #hookers;
  /** Chain `hookers`; inbound and outbound both run in the given order. */
  constructor(...hookers) {
    this.#hookers = hookers;
  }
  /** Pass `event` through every hooker's inbound hook. */
  onInboundEvent(event) {
    let ev = event;
    for (const h of this.#hookers) {
      if (!h.onInboundEvent) continue;
      ev = h.onInboundEvent(ev);
      if (!ev) return void 0;
    }
    return ev;
  }
  /** Pass `event` through every hooker's outbound hook. */
  onOutboundEvent(event) {
    let ev = event;
    for (const h of this.#hookers) {
      if (!h.onOutboundEvent) continue;
      ev = h.onOutboundEvent(ev);
      if (!ev) return void 0;
    }
    return ev;
  }
};
function chainHookers(hookers) {
  const list = hookers.filter((h) => h !== void 0);
  if (list.length === 0) return void 0;
  if (list.length === 1) return list[0];
  const chain = new MultiHooker(...list);
  const hooker = {};
  if (list.some((h) => h.onInboundEvent)) hooker.onInboundEvent = (ev) => chain.onInboundEvent(ev);
  if (list.some((h) => h.onOutboundEvent)) {
    hooker.onOutboundEvent = (ev) => chain.onOutboundEvent(ev);
  }
  return hooker;
}

// src/processor/processor.ts
var processors = /* @__PURE__ */ new Map();
var bundles = /* @__PURE__ */ new WeakMap();
function registerProcessor(name, creator) {
  processors.set(name, creator);
}
function processorNames() {
  return [...processors.keys()];
}
function bindProcessorHandler(peer, processorName, userCallback, options = {}) {
  const creator = processors.get(processorName);
  if (!creator) {
    throw new NotRegisteredError(
      `processor not registered: '${processorName}' (known: ${processorNames().join(", ") || "none"})`
    );
  }
  const bundle = creator(peer, userCallback);
  const extra = options.hookers ?? [];
  bundles.set(
    peer,
    extra.length === 0 ? bundle : { ...bundle, hooker: chainHookers([bundle.hooker, ...extra]) }
  );
}
function peerBundle(peer) {
  const bundle = bundles.get(peer);
  if (!bundle) {
    throw new NotRegisteredError(
      `peer '${peer.name}' has no processor: call bindProcessorHandler(peer, "tcp.ltv", handler) before start`
    );
  }
  return bundle;
}
function queuedCallback(peer, userCallback) {
  const queue2 = peer.queue;
  if (queue2) return (ev) => queue2.postCall(userCallback, ev);
  return (ev) => invokeReporting(userCallback, ev, peer);
}

// src/processor/tcp/ltv.ts
var transmitter = new LTVTransmitter();
registerProcessor("tcp.ltv", (peer, userCallback) => ({
  transmitter,
  hooker: new MsgHooker(peer, { protocol: "tcp" }),
  callback: queuedCallback(peer, userCallback)
}));

// src/processor/gorillaws/ws_transmitter.ts
var WSMessageTransmitter = class {
  /** Make the inbound parser of one session (each chunk it gets is one whole message). */
  newReceiver(sink, limits) {
    return new WSReceiver(sink, limits.maxPacketSize);
  }
  /** Append `MsgID | body` for `message` to `out`. */
  writeMessage(out, message) {
    const start = out.pos;
    out.reserve(2);
    out.pos = start + 2;
    let id;
    if (message instanceof RawPacket) {
      id = message.msgId;
      if (!Number.isInteger(id) || id < 0 || id > 65535) {
        throw new EncodeError(`RawPacket msgId must be 0..65535, got ${id}`);
      }
      out.bytes(message.msgData);
    } else {
      const meta = messageMetaByMsg(message);
      if (!meta) {
        const name = message?.constructor?.name ?? typeof message;
        throw new UnregisteredMessageError(
          `cannot send ${name}: its type is not a registered message`
        );
      }
      id = meta.id;
      meta.bound.encode(message, out);
    }
    out.setU16At(start, id);
  }
};
var WSReceiver = class {
  #sink;
  #maxPacketSize;
  #lastId = -1;
  #lastMeta;
  constructor(sink, maxPacketSize) {
    this.#sink = sink;
    this.#maxPacketSize = maxPacketSize;
  }
  /** Whole messages only: nothing is ever held between calls. */
  get partialBytes() {
    return 0;
  }
  receive(message) {
    const n = message.length;
    if (n < 2) throw new ProtocolError(`packet short size: a message of ${n} bytes has no msgid`);
    const max = this.#maxPacketSize;
    if (max > 0 && n >= max) {
      throw new PacketTooLargeError(`packet over size: ${n} bytes >= maxPacketSize ${max}`);
    }
    const id = message[0] | message[1] << 8;
    let meta = this.#lastMeta;
    if (id !== this.#lastId || meta === void 0) {
      meta = messageMetaById(id);
      if (meta === void 0 || meta.system) throw new UnknownMessageError(id);
      this.#lastId = id;
      this.#lastMeta = meta;
    }
    let decoded;
    try {
      const bound = meta.bound;
      decoded = bound.decodeRange !== void 0 ? bound.decodeRange(message, 2, n) : bound.decode(message.subarray(2));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DecodeError(`${meta.name} (id ${id}): ${why}`, { cause: e });
    }
    this.#sink.onRecvMessage(decoded);
  }
};

// src/processor/gorillaws/ltv.ts
var transmitter2 = new WSMessageTransmitter();
registerProcessor("gorillaws.ltv", (peer, userCallback) => ({
  transmitter: transmitter2,
  hooker: new MsgHooker(peer, { protocol: "ws", logName: "gorillawsproc" }),
  callback: queuedCallback(peer, userCallback)
}));

// src/processor/event.ts
var RecvMsgEvent3 = class {
  /** The session it arrived on. */
  session;
  /** The message. */
  message;
  /** Pair a message with its session. */
  constructor(session, message) {
    this.session = session;
    this.message = message;
  }
  /** Send `message` back on the same session; shorthand for `ev.session.send(message)`. */
  reply(message) {
    return this.session.send(message);
  }
};
var OutboundEvent = class {
  /** The session it is sent on. */
  session;
  /** The message to encode. */
  message;
  /** Pair a message with the session it goes to. */
  constructor(session, message) {
    this.session = session;
    this.message = message;
  }
};

// src/session/_outbox.ts
var StreamOutbox = class {
  out = new ByteWriter(256);
  commit(_start) {
  }
  rollback(start) {
    this.out.pos = start;
  }
  flush(conn) {
    const ok = conn.write(this.out.view());
    this.out.reset();
    return ok;
  }
  clear() {
    this.out.reset();
  }
};
var MessageOutbox = class {
  out = new ByteWriter(256);
  /** End offset of each committed message, in order. */
  #ends = [];
  commit(_start) {
    this.#ends.push(this.out.pos);
  }
  rollback(start) {
    this.out.pos = start;
  }
  flush(conn) {
    const view = this.out.view();
    const ends = this.#ends;
    if (conn.writeMessages !== void 0) {
      const ok2 = ends.length > 0 ? conn.writeMessages(view, ends) : true;
      ends.length = 0;
      this.out.reset();
      return ok2;
    }
    let ok = true;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      ok = conn.write(view.subarray(start, ends[i])) && ok;
      start = ends[i];
    }
    ends.length = 0;
    this.out.reset();
    return ok;
  }
  clear() {
    this.#ends.length = 0;
    this.out.reset();
  }
  /** Move every queued message, in order, to `target` (a connection was attached). */
  moveTo(target2) {
    const view = this.out.view();
    let start = 0;
    for (const end of this.#ends) {
      const at = target2.out.pos;
      target2.out.bytes(view.subarray(start, end));
      target2.commit(at);
      start = end;
    }
    this.clear();
  }
};
function newOutbox(messageOriented) {
  return messageOriented ? new MessageOutbox() : new StreamOutbox();
}

// src/session/_close_code.ts
var CLOSE_GOING_AWAY = 1001;
var INVALID_PAYLOAD = 1007;
var POLICY_VIOLATION = 1008;
var MESSAGE_TOO_BIG = 1009;
var MAX_REASON_BYTES = 123;
var encoder2 = new TextEncoder();
function closeCodeFor(reason, error) {
  if (reason === CloseReason.ProtocolError) {
    if (error instanceof WebSocketProtocolError) return void 0;
    return error instanceof PacketTooLargeError ? MESSAGE_TOO_BIG : INVALID_PAYLOAD;
  }
  if (reason === CloseReason.Limit) return POLICY_VIOLATION;
  return void 0;
}
function closeReasonText(text) {
  if (text.length <= MAX_REASON_BYTES / 3) return text;
  const bytes = encoder2.encode(text);
  if (bytes.length <= MAX_REASON_BYTES) return text;
  let end = MAX_REASON_BYTES;
  while (end > 0 && (bytes[end] & 192) === 128) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

// src/session/session.ts
var EAGER_FLUSH_BYTES = 16 * 1024;
var DETACHED = 0;
var OPEN = 1;
var CLOSED = 2;
var CoreSession = class {
  #id = 0;
  /** The peer that owns this session. */
  peer;
  /** Inbound messages dropped by the `drop` rate-limit policy. */
  droppedMessages = 0;
  #host;
  #options;
  #io;
  #bundle;
  #conn;
  #receiver;
  #state = DETACHED;
  #receiving = false;
  #outbox;
  #flushScheduled = false;
  #blocked = false;
  #lastRecv = 0;
  #readTimer;
  #frameTimer;
  #writeTimer;
  #rateWindowStart = 0;
  #rateCount = 0;
  #context;
  #connDone = true;
  #connWaiters;
  #pendingReason = CloseReason.ProtocolError;
  #pendingError;
  // Bound once so the hot path schedules without allocating closures.
  #flushTask = () => this.#flush();
  #readTimeoutTask = () => this.#checkReadTimeout();
  #frameTimeoutTask = () => this.#checkFrameTimeout();
  #writeTimeoutTask = () => this.#onWriteTimeout();
  #pendingCloseTask = () => this.#closeWith(this.#pendingReason, this.#pendingError, true);
  /** Create a detached session of `peer`; `host` hears of its closes (peers call this). */
  constructor(peer, options, host) {
    this.peer = peer;
    this.#options = options;
    this.#host = host;
    const self = this;
    this.#io = {
      onData: (chunk) => this.#onData(chunk),
      onDrain: () => this.#onDrain(),
      onClose: (error) => this.#onConnClose(error),
      onRecvMessage: (message) => this.#onRecvMessage(message),
      get receiving() {
        return self.#receiving;
      }
    };
  }
  /** Unique within the peer; assigned when the session joins the peer's manager. */
  get id() {
    return this.#id;
  }
  /** The runtime connection (cellnet's `Raw()`), or undefined while not connected. */
  get raw() {
    return this.#conn;
  }
  /** True while connected and not closed. */
  get isOpen() {
    return this.#state === OPEN;
  }
  /** True once closed (until a connector reconnects it). */
  get isClosed() {
    return this.#state === CLOSED;
  }
  /** `host:port` of the remote side, or `""` while not connected. */
  get remoteAddress() {
    const a = this.#conn?.remoteAddress;
    return a ? a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}` : "";
  }
  /** Bytes queued and not yet taken by the OS (this session's buffer plus the runtime's). */
  get bufferedAmount() {
    return (this.#outbox?.out.pos ?? 0) + (this.#conn?.bufferedAmount ?? 0);
  }
  /** Attach a value to the session (cellnet's `SetContext`). */
  setContext(key2, value) {
    (this.#context ??= /* @__PURE__ */ new Map()).set(key2, value);
  }
  /** Read a value set with {@link setContext} (cellnet's `GetContext`). */
  getContext(key2) {
    return this.#context?.get(key2);
  }
  /**
   * Queue a message. Never blocks; messages queued in one event-loop turn
   * are written together, in order.
   *
   * Returns false when the session is closed (nothing is queued) or was just
   * closed as a slow consumer. Throws `EncodeError` when the message cannot be
   * encoded, `UnregisteredMessageError` for an unregistered type, and, with
   * the `reject` slow-consumer policy, `SlowConsumerError`; in every throwing
   * case nothing is queued and the session stays usable.
   *
   * On a connector's session before it connects (or between reconnects),
   * messages are kept and written once connected.
   */
  send(message) {
    if (this.#state === CLOSED) return false;
    const bundle = this.#bundle ??= peerBundle(this.peer);
    let msg = message;
    const hooker = bundle.hooker;
    if (hooker?.onOutboundEvent) {
      const ev = hooker.onOutboundEvent(new OutboundEvent(this, msg));
      if (!ev) return true;
      msg = ev.message;
    }
    const outbox = this.#outbox ??= new MessageOutbox();
    const start = outbox.out.pos;
    try {
      bundle.transmitter.writeMessage(outbox.out, msg);
    } catch (e) {
      outbox.rollback(start);
      throw e;
    }
    return this.#queued(outbox, start);
  }
  /**
   * Queue one message already encoded by this peer's transmitter, as
   * `broadcast` does after encoding once. Same return and limits as
   * {@link send}.
   */
  sendEncoded(encoded) {
    if (this.#state === CLOSED) return false;
    const outbox = this.#outbox ??= new MessageOutbox();
    const start = outbox.out.pos;
    outbox.out.bytes(encoded);
    return this.#queued(outbox, start);
  }
  #queued(outbox, start) {
    const out = outbox.out;
    const high = this.#options.sendQueueHighWater;
    if (high > 0) {
      const pending = out.pos + (this.#conn?.bufferedAmount ?? 0);
      if (pending > high) {
        const error = new SlowConsumerError(
          `session ${this.#id} ${this.remoteAddress}: ${pending} unsent bytes pass the send-queue high-water mark ${high}`
        );
        if (this.#options.slowConsumerPolicy === "reject") {
          outbox.rollback(start);
          throw error;
        }
        this.#closeWith(CloseReason.SlowConsumer, error, false);
        return false;
      }
    }
    outbox.commit(start);
    if (this.#state === OPEN && !this.#blocked) {
      if (out.pos >= EAGER_FLUSH_BYTES) {
        this.#flush();
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        const conn = this.#conn;
        if (conn.defer) conn.defer(this.#flushTask);
        else queueMicrotask(this.#flushTask);
      }
    }
    return true;
  }
  /**
   * Close the session (cellnet's `Close()`): messages already queued are
   * still written, then the connection is closed. The handler then gets
   * `SessionClosed` with reason `Manual`. Closing twice does nothing.
   */
  close() {
    this.#closeWith(CloseReason.Manual, void 0, true);
  }
  /**
   * Close as a stopping peer does: like {@link close} (reason `Manual`,
   * queued messages written first), but a connection whose close carries a
   * code tells the remote side this side is going away (WebSocket 1001).
   */
  closeGoingAway() {
    this.#closeWith(CloseReason.Manual, void 0, true, CLOSE_GOING_AWAY);
  }
  /** Set by the peer's session manager when the session joins it. */
  assignId(id) {
    this.#id = id;
  }
  /** Connect this session to `conn` and start its timers; reading starts with {@link startReading}. */
  attach(conn) {
    if (this.#state === OPEN) throw new Error("session already attached");
    this.#bundle = peerBundle(this.peer);
    this.#conn = conn;
    this.#connDone = false;
    this.#state = OPEN;
    this.#receiving = true;
    this.#blocked = false;
    const outbox = newOutbox(conn.messageOriented);
    if (this.#outbox instanceof MessageOutbox) this.#outbox.moveTo(outbox);
    this.#outbox = outbox;
    this.#receiver = this.#bundle.transmitter.newReceiver(this.#io, this.#options);
    conn.setNoDelay(this.#options.noDelay);
    const { readTimeoutMs } = this.#options;
    this.#lastRecv = Date.now();
    if (readTimeoutMs > 0) this.#readTimer = setTimeout(this.#readTimeoutTask, readTimeoutMs);
  }
  /** Start delivering inbound bytes and write what was queued while detached. */
  startReading() {
    const conn = this.#conn;
    if (this.#state !== OPEN || !conn) return;
    conn.setHandler(this.#io);
    if (this.#outbox.out.pos > 0) this.#flush();
  }
  /** Make a closed session usable again (a connector between reconnects); sends are kept until attached. */
  reset() {
    if (this.#state !== CLOSED) return;
    this.#state = DETACHED;
    this.#conn = void 0;
    this.#receiver = void 0;
    this.#outbox = void 0;
    this.#flushScheduled = false;
    this.#blocked = false;
  }
  /** Deliver a locally raised event (SessionAccepted...) through the processor, like a message. */
  deliverEvent(message) {
    const bundle = this.#bundle ??= peerBundle(this.peer);
    const hooked = this.#hookInbound(bundle, new RecvMsgEvent3(this, message));
    if (hooked) bundle.callback(hooked);
  }
  /**
   * Resolves once the runtime connection is fully closed (after a graceful
   * close, when queued bytes were flushed). Resolves at once when there is none.
   */
  connectionClosed() {
    if (this.#connDone) return Promise.resolve();
    return new Promise((resolve) => (this.#connWaiters ??= []).push(resolve));
  }
  /** Destroy the runtime connection now, dropping unsent bytes (a stop deadline passed). */
  abort() {
    this.#closeWith(CloseReason.Manual, void 0, false);
    this.#conn?.close(false);
  }
  /** `[peer] session 3 (127.0.0.1:5000)`, for log lines. */
  describe() {
    return `[${this.peer.name}] session ${this.#id}${this.#conn ? ` (${this.remoteAddress})` : ""}`;
  }
  // ---- the receiver's sink ----
  /** One decoded message: apply the rate limit, run the hookers, then the callback. */
  #onRecvMessage(message) {
    const max = this.#options.maxMessagesPerSecond;
    if (max > 0 && !this.#admit(max)) return;
    const bundle = this.#bundle;
    const ev = new RecvMsgEvent3(this, message);
    const hooked = bundle.hooker?.onInboundEvent ? this.#hookInbound(bundle, ev) : ev;
    if (hooked) bundle.callback(hooked);
  }
  /** Count one inbound message against the per-second window; false when it is refused. */
  #admit(max) {
    const now = Date.now();
    if (now - this.#rateWindowStart >= 1e3) {
      this.#rateWindowStart = now;
      this.#rateCount = 0;
    }
    if (++this.#rateCount <= max) return true;
    if (this.#options.rateLimitPolicy === "drop") {
      this.droppedMessages++;
      return false;
    }
    this.#receiving = false;
    this.#closeWith(
      CloseReason.Limit,
      new LimitError(`more than ${max} messages in one second (maxMessagesPerSecond)`),
      true
    );
    return false;
  }
  /** The inbound hookers, with a throw reported as the hooker's and the event dropped. */
  #hookInbound(bundle, ev) {
    try {
      return bundle.hooker?.onInboundEvent ? bundle.hooker.onInboundEvent(ev) : ev;
    } catch (e) {
      this.peer.logger.error(
        `${this.describe()}: inbound hooker failed on ${messageName(ev.message)}`,
        e
      );
      return void 0;
    }
  }
  // ---- the transport's handler ----
  #onData(chunk) {
    if (!this.#receiving) return;
    const readTimed = this.#options.readTimeoutMs > 0;
    if (readTimed) this.#lastRecv = Date.now();
    const receiver = this.#receiver;
    try {
      receiver.receive(chunk);
    } catch (e) {
      this.#fail(e);
      return;
    }
    if (receiver.partialBytes > 0) {
      const ms = this.#options.frameTimeoutMs;
      if (ms > 0 && this.#state === OPEN) {
        if (!readTimed) this.#lastRecv = Date.now();
        this.#frameTimer ??= setTimeout(this.#frameTimeoutTask, ms);
      }
    }
  }
  #onDrain() {
    this.#blocked = false;
    if (this.#writeTimer !== void 0) {
      clearTimeout(this.#writeTimer);
      this.#writeTimer = void 0;
    }
    if (this.#outbox !== void 0 && this.#outbox.out.pos > 0) this.#flush();
  }
  #onConnClose(error) {
    const reason = error instanceof ProtocolError ? CloseReason.ProtocolError : error instanceof TimeoutError ? CloseReason.Timeout : CloseReason.IO;
    const cut = this.#receiving ? this.#receiver?.partialBytes ?? 0 : 0;
    if (!error && cut > 0) {
      error = new ProtocolError(
        `unexpected EOF: connection closed with ${cut} bytes of an incomplete frame`
      );
    }
    this.#closeWith(reason, error, false);
    this.#connDone = true;
    const waiters = this.#connWaiters;
    this.#connWaiters = void 0;
    if (waiters) {
      for (const w of waiters) w();
    }
  }
  // ---- internals ----
  #flush() {
    this.#flushScheduled = false;
    const conn = this.#conn;
    const outbox = this.#outbox;
    if (this.#state !== OPEN || this.#blocked || !conn || !outbox || outbox.out.pos === 0) return;
    if (!outbox.flush(conn)) {
      this.#blocked = true;
      const ms = this.#options.writeTimeoutMs;
      if (ms > 0 && this.#writeTimer === void 0) {
        this.#writeTimer = setTimeout(this.#writeTimeoutTask, ms);
      }
    }
  }
  /** Bad input: stop reading now, close after the handlers of earlier messages ran (so their replies go out). */
  #fail(e) {
    this.#receiving = false;
    const error = e instanceof Error ? e : new Error(String(e));
    const reason = e instanceof ProtocolError ? CloseReason.ProtocolError : CloseReason.IO;
    if (!(e instanceof ProtocolError)) {
      this.peer.logger.error(`${this.describe()}: receive path failed`, error);
    }
    const queue2 = this.peer.queue;
    if (queue2) {
      this.#pendingReason = reason;
      this.#pendingError = error;
      queue2.postCall(this.#pendingCloseTask, void 0);
    } else {
      this.#closeWith(reason, error, true);
    }
  }
  #checkReadTimeout() {
    this.#readTimer = void 0;
    if (this.#state !== OPEN) return;
    const ms = this.#options.readTimeoutMs;
    const idle = Date.now() - this.#lastRecv;
    if (idle >= ms) {
      this.#closeWith(
        CloseReason.Timeout,
        new TimeoutError(`nothing received for ${idle} ms (readTimeoutMs ${ms})`),
        true
      );
    } else {
      this.#readTimer = setTimeout(this.#readTimeoutTask, ms - idle);
    }
  }
  /** A message is half received: close if no byte came for frameTimeoutMs, else look again later. */
  #checkFrameTimeout() {
    this.#frameTimer = void 0;
    if (this.#state !== OPEN || !this.#receiving) return;
    const held = this.#receiver?.partialBytes ?? 0;
    if (held === 0) return;
    const ms = this.#options.frameTimeoutMs;
    const idle = Date.now() - this.#lastRecv;
    if (idle >= ms) {
      this.#closeWith(
        CloseReason.Timeout,
        new TimeoutError(
          `incomplete frame (${held} bytes) with nothing more for ${idle} ms (frameTimeoutMs ${ms})`
        ),
        false
      );
    } else {
      this.#frameTimer = setTimeout(this.#frameTimeoutTask, ms - idle);
    }
  }
  #onWriteTimeout() {
    this.#writeTimer = void 0;
    if (this.#state !== OPEN) return;
    const ms = this.#options.writeTimeoutMs;
    this.#closeWith(
      CloseReason.Timeout,
      new TimeoutError(
        `${this.bufferedAmount} queued bytes did not drain within ${ms} ms (writeTimeoutMs)`
      ),
      false
    );
  }
  #closeWith(reason, error, graceful, code) {
    if (this.#state === CLOSED) return;
    const wasOpen = this.#state === OPEN;
    this.#state = CLOSED;
    this.#receiving = false;
    if (this.#readTimer !== void 0) clearTimeout(this.#readTimer);
    if (this.#frameTimer !== void 0) clearTimeout(this.#frameTimer);
    if (this.#writeTimer !== void 0) clearTimeout(this.#writeTimer);
    this.#readTimer = this.#frameTimer = this.#writeTimer = void 0;
    const conn = this.#conn;
    const outbox = this.#outbox;
    if (conn) {
      if (graceful && outbox !== void 0 && outbox.out.pos > 0) outbox.flush(conn);
      const closeCode = graceful && conn.closeWith !== void 0 ? code ?? closeCodeFor(reason, error) : void 0;
      if (closeCode !== void 0) {
        conn.closeWith(closeCode, error ? closeReasonText(error.message) : "");
      } else conn.close(graceful);
    }
    outbox?.clear();
    this.#flushScheduled = false;
    const logger2 = this.peer.logger;
    if (reason === CloseReason.Manual || reason === CloseReason.IO && !error) {
      logger2.debug(`${this.describe()} closed: ${closeReasonName(reason)}`);
    } else {
      logger2.warn(
        `${this.describe()} closed: ${closeReasonName(reason)}${error ? `: ${error.message}` : ""}`
      );
    }
    this.#host.sessionClosed(this, reason, error);
    if (wasOpen) this.deliverEvent(new SessionClosed(reason, error));
  }
};

// src/session/session_id_counter.ts
var SessionIdCounter = class {
  #last = 0;
  /** Start after `base` (default 0: the first id is 1). */
  constructor(base = 0) {
    this.setIdBase(base);
  }
  /** The last id handed out (0 before the first). */
  get lastId() {
    return this.#last;
  }
  /** The next id. */
  nextId() {
    return ++this.#last;
  }
  /**
   * Set the last id handed out, as cellnet's `SetIDBase`.
   *
   * @throws {RangeError} unless `base` is a safe integer >= 0.
   */
  setIdBase(base) {
    if (!Number.isSafeInteger(base) || base < 0) {
      throw new RangeError(`id base must be an integer >= 0, got ${base}`);
    }
    this.#last = base;
  }
};

// src/session/session_manager.ts
var SessionManager = class {
  #sessions = /* @__PURE__ */ new Map();
  /** Where ids come from (cellnet's `curID`). */
  #ids;
  /** A manager taking ids from `ids`, or from a counter of its own. */
  constructor(ids = new SessionIdCounter()) {
    this.#ids = ids;
  }
  /**
   * Set the last id handed out, as cellnet's `SetIDBase`: after
   * `setIdBase(1000)` the next session is 1001. 0 (the default) is legal.
   * Used to keep ids distinct across peers or processes. With a shared id
   * source this sets the shared counter.
   */
  setIdBase(base) {
    this.#ids.setIdBase(base);
  }
  /** Assign the next id to `session` and track it. */
  add(session) {
    const id = this.#ids.nextId();
    session.assignId(id);
    this.#sessions.set(id, session);
  }
  /** Stop tracking `session` (its id is not reused). */
  remove(session) {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
  }
  /** The live session with this id, or undefined. */
  getSession(id) {
    return this.#sessions.get(id);
  }
  /** The live session with this id as the implementation (peers use this), or undefined. */
  getCoreSession(id) {
    return this.#sessions.get(id);
  }
  /** Call `callback` for each live session until it returns false. */
  visitSession(callback2) {
    for (const s of this.#sessions.values()) {
      if (callback2(s) === false) return;
    }
  }
  /** Number of live sessions. */
  sessionCount() {
    return this.#sessions.size;
  }
  /** Close every live session (reason Manual). */
  closeAllSession() {
    for (const s of [...this.#sessions.values()]) s.close();
  }
};

// src/processor/dispatcher.ts
var MessageDispatcher = class {
  #handlers = /* @__PURE__ */ new Map();
  #otherwise;
  /** Add a handler for messages of class `type`; several run in the order added. */
  on(type, handler) {
    const list = this.#handlers.get(type);
    if (list) list.push(handler);
    else this.#handlers.set(type, [handler]);
    return this;
  }
  /** Remove every handler of `type`. */
  off(type) {
    this.#handlers.delete(type);
    return this;
  }
  /** Handle events no `on` handler matches (by default they are ignored). */
  otherwise(callback2) {
    this.#otherwise = callback2;
    return this;
  }
  /** Dispatch one event; returns what the last handler returned (a promise is passed through). */
  dispatch(event) {
    const message = event.message;
    const list = message ? this.#handlers.get(message.constructor) : void 0;
    if (!list) return this.#otherwise?.(event);
    if (list.length === 1) return list[0](message, event);
    let result;
    for (const h of list) result = h(message, event);
    return result;
  }
  /** `dispatch` bound to this dispatcher, to pass as a processor's user callback. */
  callback = (event) => this.dispatch(event);
};

// src/peer/options.ts
var DEFAULT_SEND_QUEUE_HIGH_WATER = 4 * 1024 * 1024;
var DEFAULT_FRAME_TIMEOUT_MS = 3e4;
function resolveSessionOptions(o) {
  const num = (name, v, dflt) => {
    if (v === void 0) return dflt;
    if (typeof v !== "number" || !(v >= 0)) {
      throw new RangeError(`${name} must be a number >= 0, got ${v}`);
    }
    return v;
  };
  const policy = o.slowConsumerPolicy ?? "close";
  if (policy !== "close" && policy !== "reject") {
    throw new RangeError(`slowConsumerPolicy must be "close" or "reject", got ${policy}`);
  }
  const ratePolicy = o.rateLimitPolicy ?? "close";
  if (ratePolicy !== "close" && ratePolicy !== "drop") {
    throw new RangeError(`rateLimitPolicy must be "close" or "drop", got ${ratePolicy}`);
  }
  return {
    noDelay: o.noDelay ?? true,
    maxPacketSize: num("maxPacketSize", o.maxPacketSize, 0),
    readTimeoutMs: num("readTimeoutMs", o.readTimeoutMs, 0),
    frameTimeoutMs: num("frameTimeoutMs", o.frameTimeoutMs, DEFAULT_FRAME_TIMEOUT_MS),
    maxMessagesPerSecond: num("maxMessagesPerSecond", o.maxMessagesPerSecond, 0),
    rateLimitPolicy: ratePolicy,
    writeTimeoutMs: num("writeTimeoutMs", o.writeTimeoutMs, 0),
    sendQueueHighWater: num(
      "sendQueueHighWater",
      o.sendQueueHighWater,
      DEFAULT_SEND_QUEUE_HIGH_WATER
    ),
    slowConsumerPolicy: policy
  };
}

// src/peer/base_peer.ts
var BasePeer = class {
  /** Name used in logs. */
  name;
  /** The configured address, as given. */
  address;
  /** The address as the protocol family parsed it. */
  endpoint;
  /** The protocol family's name, e.g. `tcp`. */
  protocol;
  /** The event queue handlers run on, if any. */
  queue;
  /** Where log lines go. */
  logger;
  /** Optional sink for handler errors, called after they are logged. */
  onError;
  /** Per-session options with defaults applied. */
  sessionOptions;
  /** The live sessions. */
  sessions;
  /** What this peer's sessions report their closes to. */
  sessionHost = {
    sessionClosed: (s, reason, error) => this.onSessionClosed(s, reason, error)
  };
  #transportChoice;
  #broadcastBuf;
  #phase = "idle";
  #starting;
  #stopping;
  /** Bumped by every start and stop, so a start that a stop overtook knows it. */
  #generation = 0;
  /** Validate and keep the options; `protocol` names the family that parses the address. */
  constructor(options, typeName, protocol = "tcp") {
    this.address = options.address;
    this.protocol = protocol;
    this.endpoint = protocolFamily(protocol).parseAddress(options.address);
    this.name = options.name ?? typeName;
    this.queue = options.queue;
    this.logger = options.logger ?? getDefaultLogger();
    this.sessionOptions = resolveSessionOptions(options);
    this.sessions = new SessionManager(options.sessionIds);
    this.#transportChoice = options.transport;
  }
  /** True once started, until stopped (for a connector: until it gave up, too). */
  get isRunning() {
    return this.#phase === "running";
  }
  /** Where the peer is in its life. */
  get phase() {
    return this.#phase;
  }
  /**
   * Start. Concurrent calls share one start and its outcome; a `stop()`
   * during the start wins (the start then resolves with the peer stopped,
   * see {@link startInterrupted}); a start during a stop waits for it. An
   * aborted `signal` stops the peer and rejects with the signal's reason.
   */
  start(signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    switch (this.#phase) {
      case "running":
        return Promise.resolve(this);
      case "starting":
        return signal ? this.#abortable(this.#starting, signal) : this.#starting;
      case "stopping":
        return this.#stopping.then(() => this.start(signal));
    }
    try {
      peerBundle(this);
    } catch (e) {
      return Promise.reject(e);
    }
    const generation = ++this.#generation;
    this.#phase = "starting";
    const current = () => generation === this.#generation;
    const starting = (async () => {
      let failure;
      let failed = false;
      try {
        await this.onStart(current);
      } catch (e) {
        failed = true;
        failure = e;
      }
      if (!current()) {
        const interrupted = signal?.aborted ? signal.reason : this.startInterrupted();
        if (interrupted !== void 0) throw interrupted;
        return this;
      }
      if (failed) {
        this.#phase = "idle";
        throw failure;
      }
      this.#phase = "running";
      this.onRunning();
      return this;
    })();
    this.#starting = starting;
    return signal ? this.#abortable(starting, signal) : starting;
  }
  /** Stop; resolves when every session is gone. Stopping an idle peer does nothing. */
  stop() {
    switch (this.#phase) {
      case "idle":
        return Promise.resolve();
      case "stopping":
        return this.#stopping;
    }
    const starting = this.#phase === "starting" ? this.#starting : void 0;
    this.#generation++;
    this.#phase = "stopping";
    if (starting) this.cancelStart();
    const stopping = (async () => {
      try {
        if (starting) await starting.then(() => {
        }, () => {
        });
        await this.onStop();
      } finally {
        this.#phase = "idle";
        this.#stopping = void 0;
        this.#starting = void 0;
      }
    })();
    this.#stopping = stopping;
    return stopping;
  }
  /** `await using peer = …` stops the peer when the scope ends. */
  [Symbol.asyncDispose]() {
    return this.stop();
  }
  /**
   * A stop overtook the start under way: cut short what the start waits on,
   * if it can be (a sync connector abandons its dial), so the stop does not
   * wait for it. The start still sees `current()` turn false.
   */
  cancelStart() {
  }
  /** Called once the peer is running (a connector starts dialling here). */
  onRunning() {
  }
  /**
   * What a start overtaken by a stop settles with: undefined resolves it
   * (the default), an error rejects it (a SyncConnector's start promised a
   * connection).
   */
  startInterrupted() {
    return void 0;
  }
  /** A running peer stopped by itself (a connector gave up): idle, without a stop. */
  stoppedByItself() {
    if (this.#phase !== "running") return;
    this.#generation++;
    this.#phase = "idle";
    this.#starting = void 0;
  }
  /** Options for this protocol's transport (`ListenOptions.protocolOptions`); none by default. */
  protocolOptions() {
    return void 0;
  }
  /** The runtime adapter chosen in the options, or the detected one, for this peer's protocol. */
  transport() {
    return loadTransport(this.#transportChoice, this.protocol);
  }
  /** A session closed: forget it. Subclasses extend this (a connector redials). */
  onSessionClosed(session, _reason, _error) {
    this.sessions.remove(session);
  }
  /** The live session with this id, or undefined. */
  getSession(id) {
    return this.sessions.getSession(id);
  }
  /** Call `callback` for each live session until it returns false. */
  visitSession(callback2) {
    this.sessions.visitSession(callback2);
  }
  /** Number of live sessions. */
  sessionCount() {
    return this.sessions.sessionCount();
  }
  /** Close every live session (reason Manual). */
  closeAllSession() {
    this.sessions.closeAllSession();
  }
  /**
   * Set the last session id handed out (cellnet's `SetSessionIDBase`): after
   * `setSessionIdBase(1000)` the next session is 1001. Peers sharing a
   * `sessionIds` counter share this too.
   */
  setSessionIdBase(base) {
    this.sessions.setIdBase(base);
  }
  /**
   * Send `message` to every live session. It is encoded once and the same
   * bytes are queued on each session (unless the processor has an outbound
   * hooker, which must see each send). Returns how many sessions queued it.
   */
  broadcast(message) {
    const bundle = peerBundle(this);
    let count = 0;
    if (bundle.hooker?.onOutboundEvent) {
      this.sessions.visitSession((s) => {
        if (s.send(message)) count++;
      });
      return count;
    }
    const buf = this.#broadcastBuf ??= new ByteWriter(256);
    buf.reset();
    bundle.transmitter.writeMessage(buf, message);
    const encoded = buf.view();
    this.sessions.visitSession((s) => {
      if (s.sendEncoded(encoded)) count++;
    });
    return count;
  }
  /** `start` that also rejects (and stops the peer) when `signal` aborts first. */
  #abortable(starting, signal) {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        void this.stop();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      starting.then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        }
      );
    });
  }
};

// src/peer/_stop_sessions.ts
async function stopSessions(sessions, timeoutMs) {
  const all = [];
  sessions.visitSession((s) => {
    all.push(s);
  });
  for (const s of all) s.closeGoingAway();
  await closedWithin(all, timeoutMs);
}
async function closedWithin(all, timeoutMs) {
  if (all.length === 0) return;
  let timer;
  const deadline = new Promise((resolve) => timer = setTimeout(resolve, timeoutMs));
  await Promise.race([Promise.all(all.map((s) => s.connectionClosed())), deadline]);
  clearTimeout(timer);
  for (const s of all) s.abort();
}

// src/peer/acceptor.ts
var GenericAcceptor = class extends BasePeer {
  /** cellnet's peer type name. */
  typeName;
  /** Connections refused by `maxConnections` or `maxConnectionsPerIp` since construction. */
  rejectedConnections = 0;
  #maxConnections;
  #maxPerIp;
  #stopTimeoutMs;
  /** Live sessions per remote IP, kept only when `maxConnectionsPerIp` is set. */
  #perIp = /* @__PURE__ */ new Map();
  #listener;
  #onConnection = (conn) => this.#accept(conn);
  /** Create an acceptor of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options, typeName, protocol) {
    super(options, typeName, protocol);
    this.typeName = typeName;
    const count = (name, v) => {
      if (v === void 0) return 0;
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`${name} must be an integer >= 0, got ${v}`);
      }
      return v;
    };
    this.#maxConnections = count("maxConnections", options.maxConnections);
    this.#maxPerIp = count("maxConnectionsPerIp", options.maxConnectionsPerIp);
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5e3;
  }
  /** The bound port (the OS's choice when the address had port 0); 0 when not listening. */
  get port() {
    return this.#listener?.address.port ?? 0;
  }
  /** Bind, then accept; undone if a stop came first. */
  async onStart(current) {
    const transport = await this.transport();
    if (!current()) return;
    const { host, port, path: path2 } = this.endpoint;
    const listener = await transport.listen({
      host,
      port,
      path: path2,
      protocolOptions: this.protocolOptions(),
      onConnection: this.#onConnection
    });
    if (!current()) {
      await listener.close();
      return;
    }
    this.#listener = listener;
    this.logger.info(`[${this.name}] listening on ${this.address} (port ${this.port})`);
  }
  /**
   * Stop accepting, close every session (queued bytes are flushed for up to
   * `stopTimeoutMs`), and resolve when all are gone. Can be started again.
   */
  async onStop() {
    const listener = this.#listener;
    this.#listener = void 0;
    const closing = listener?.close();
    await stopSessions(this.sessions, this.#stopTimeoutMs);
    await closing;
  }
  /**
   * A connection became `session`, just before `SessionAccepted` is
   * delivered: a protocol's acceptor sets what the handler should find on
   * it (gorillaws: the upgrade request as context `"request"`).
   */
  prepareSession(_session, _conn) {
  }
  /** A session closed: forget it and its IP's count. */
  onSessionClosed(session, reason, error) {
    super.onSessionClosed(session, reason, error);
    if (this.#maxPerIp > 0) {
      const ip = session.raw?.remoteAddress.host ?? "";
      const n = (this.#perIp.get(ip) ?? 1) - 1;
      if (n > 0) this.#perIp.set(ip, n);
      else this.#perIp.delete(ip);
    }
  }
  #accept(conn) {
    if (this.#listener === void 0) {
      conn.close(false);
      return;
    }
    const max = this.#maxConnections;
    if (max > 0 && this.sessions.sessionCount() >= max) {
      this.#refuse(conn, `maxConnections ${max} reached`);
      return;
    }
    const ip = conn.remoteAddress.host;
    if (this.#maxPerIp > 0) {
      const n = this.#perIp.get(ip) ?? 0;
      if (n >= this.#maxPerIp) {
        this.#refuse(conn, `maxConnectionsPerIp ${this.#maxPerIp} reached for ${ip}`);
        return;
      }
      this.#perIp.set(ip, n + 1);
    }
    const session = new CoreSession(this, this.sessionOptions, this.sessionHost);
    this.sessions.add(session);
    session.attach(conn);
    this.prepareSession(session, conn);
    session.deliverEvent(new SessionAccepted());
    session.startReading();
  }
  /** A limit refused the connection before it became a session: close it, count it, say so. */
  #refuse(conn, why) {
    this.rejectedConnections++;
    conn.close(false);
    const a = conn.remoteAddress;
    const where = a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
    this.logger.warn(`[${this.name}] refused ${where}`, new LimitError(why));
  }
};

// src/peer/connector.ts
var LOUD_ATTEMPTS = 3;
var LOG_EVERY = 20;
var GenericConnector = class extends BasePeer {
  /** cellnet's peer type name. */
  typeName;
  /** Redial interval in ms (0: no reconnect); may be changed at any time. */
  reconnectIntervalMs;
  /** The error of the last failed dial, if any. */
  lastConnectError;
  #connectTimeoutMs;
  #stopTimeoutMs;
  #session;
  #timer;
  /** True from attaching a connection until its session closes. */
  #connected = false;
  /** Failed dials since the last success. */
  #failures = 0;
  /** Bumped by every start and stop so a dial that outlived its start is dropped. */
  #dialGeneration = 0;
  /** Ends the wait of the dial under way, when a stop abandons it. */
  #abandonWait;
  #redial = () => {
    this.#timer = void 0;
    void this.dial(this.#dialGeneration);
  };
  /** Create a connector of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options, typeName, protocol) {
    super(options, typeName, protocol);
    this.typeName = typeName;
    this.reconnectIntervalMs = options.reconnectIntervalMs ?? 0;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 0;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5e3;
    this.#session = new CoreSession(this, this.sessionOptions, this.sessionHost);
  }
  /** The connector's one session (cellnet's `Session()`); usable before it connects. */
  get session() {
    return this.#session;
  }
  /** True while the session is connected. */
  get isConnected() {
    return this.#session.isOpen;
  }
  /** Nothing to wait for: `start()` resolves at once, as cellnet's `Start`. */
  onStart(_current) {
    return Promise.resolve();
  }
  /** Dial in the background once running, so a failure can stop a running connector. */
  onRunning() {
    void this.beginDialing();
  }
  /** Reset the session and make the first dial; resolves with its outcome. */
  beginDialing() {
    this.#failures = 0;
    this.#session.reset();
    return this.dial(++this.#dialGeneration);
  }
  /** A stop during a sync connector's start: abandon its dial rather than wait for it. */
  cancelStart() {
    this.#abandonDial();
  }
  /** Stop redialling, close the session (flushing queued bytes) and resolve when it is closed. */
  async onStop() {
    this.#abandonDial();
    if (this.#timer !== void 0) clearTimeout(this.#timer);
    this.#timer = void 0;
    const open = this.#session.isOpen;
    this.#session.closeGoingAway();
    if (open) await closedWithin([this.#session], this.#stopTimeoutMs);
  }
  /**
   * Dial once. Resolves true when connected; on failure delivers
   * `SessionConnectError`, schedules a redial if configured (else the
   * connector stops), and resolves false. Never rejects.
   */
  async dial(generation) {
    let conn;
    try {
      const transport = await this.transport();
      if (generation !== this.#dialGeneration) return false;
      const { host, port, path: path2, scheme } = this.endpoint;
      const connecting = transport.connect({
        host,
        port,
        path: path2,
        scheme,
        timeoutMs: this.#connectTimeoutMs,
        protocolOptions: this.protocolOptions()
      });
      const abandoned = new Promise((resolve) => {
        this.#abandonWait = () => resolve(void 0);
      });
      conn = await Promise.race([connecting, abandoned]);
      if (conn === void 0) connecting.then((late) => late.close(false), () => {
      });
    } catch (e) {
      if (generation !== this.#dialGeneration) return false;
      this.#dialFailed(e instanceof Error ? e : new Error(String(e)));
      return false;
    } finally {
      if (generation === this.#dialGeneration) this.#abandonWait = void 0;
    }
    if (conn === void 0) return false;
    if (generation !== this.#dialGeneration) {
      conn.close(false);
      return false;
    }
    const session = this.#session;
    session.reset();
    this.sessions.add(session);
    this.#connected = true;
    this.#failures = 0;
    session.attach(conn);
    this.logger.debug(`[${this.name}] connected to ${this.address} as session ${session.id}`);
    session.deliverEvent(new SessionConnected());
    session.startReading();
    return true;
  }
  /** Drop the dial under way (its outcome is ignored) and end its wait. */
  #abandonDial() {
    this.#dialGeneration++;
    const abandon = this.#abandonWait;
    this.#abandonWait = void 0;
    abandon?.();
  }
  #dialFailed(error) {
    this.lastConnectError = error;
    const attempt = ++this.#failures;
    const retry = this.reconnectIntervalMs;
    const loud = attempt <= LOUD_ATTEMPTS || attempt % LOG_EVERY === 0;
    const line = `[${this.name}] ${error.message}` + (retry > 0 ? ` (attempt ${attempt}, retry in ${retry} ms)` : "") + (retry > 0 && attempt === LOUD_ATTEMPTS ? `; further failures are logged every ${LOG_EVERY}th` : "");
    if (loud) this.logger.warn(line);
    else this.logger.debug(line);
    if (retry > 0) this.#timer = setTimeout(this.#redial, retry);
    else this.stoppedByItself();
    this.#session.deliverEvent(new SessionConnectError(error, attempt));
  }
  /** The session closed: forget it and redial if configured. */
  onSessionClosed(session, reason, error) {
    super.onSessionClosed(session, reason, error);
    const wasConnected = this.#connected;
    this.#connected = false;
    const running = this.isRunning;
    if (!wasConnected) {
      if (running) session.reset();
      return;
    }
    if (running && this.reconnectIntervalMs > 0) {
      session.reset();
      this.#timer = setTimeout(this.#redial, this.reconnectIntervalMs);
    } else if (running) {
      this.stoppedByItself();
    }
  }
};

// src/peer/sync_connector.ts
var GenericSyncConnector = class extends GenericConnector {
  /** Create a sync connector of `protocol` registered as `typeName`; nothing happens until {@link start}. */
  constructor(options, typeName, protocol) {
    super({ ...options, reconnectIntervalMs: 0 }, typeName, protocol);
  }
  /** Dial and wait; throws the dial's error. */
  async onStart(current) {
    if (!await this.beginDialing() && current()) {
      throw this.lastConnectError ?? new ConnectError(`connect to ${this.address} failed`);
    }
  }
  /** Already connected by the time it runs. */
  onRunning() {
  }
  /** A stop overtook the dial: the start promised a connection it does not have. */
  startInterrupted() {
    return new ConnectError(`connect to ${this.address} stopped before it connected`);
  }
};

// src/peer/peer_registry.ts
var creators = /* @__PURE__ */ new Map();
function registerPeerCreator(typeName, creator) {
  creators.set(typeName, creator);
}

// src/transport/ws/family.ts
var ADDRESS = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:\[([^\]]+)\]|([^:/?#\[\]]*))(?::(\d{1,5}))?(\/[^?#]*)?(?:\?[^#]*)?$/i;
var SECURE = /* @__PURE__ */ new Set(["wss", "https"]);
var SCHEMES = /* @__PURE__ */ new Set(["ws", "wss", "http", "https"]);
function parseWebSocketAddress(address2) {
  const m = ADDRESS.exec(address2);
  const scheme = (m?.[1] ?? "").toLowerCase();
  if (!m || scheme !== "" && !SCHEMES.has(scheme) || m[4] === void 0 && scheme === "") {
    throw new TypeError(
      `address must be "[ws|wss|http|https://]host:port[/path]" (IPv6 as "[::1]"), got "${address2}"`
    );
  }
  const port = m[4] === void 0 ? SECURE.has(scheme) ? 443 : 80 : Number(m[4]);
  if (port > 65535) throw new TypeError(`port out of range in "${address2}"`);
  return { host: m[2] ?? (m[3] || "0.0.0.0"), port, path: m[5] ?? "", scheme };
}
var wsFamily = {
  name: "ws",
  defaultPort: 80,
  parseAddress: parseWebSocketAddress
};
registerProtocol(wsFamily);

// src/transport/ws/_protocol.ts
var MAX_CONTROL_PAYLOAD = 125;
var MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;

// src/transport/ws/_handshake.ts
var encoder3 = new TextEncoder();

// src/transport/ws/_http.ts
var DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

// src/transport/ws/_frame_parser.ts
var KEEP_BUFFER = 64 * 1024;
var decoder2 = new TextDecoder();

// src/transport/ws/_frame_writer.ts
var SEPARATE_ABOVE = 16 * 1024;
var MASK_PIECE = 64 * 1024;
var BATCH_BYTES = 32 * 1024;
var encoder4 = new TextEncoder();

// src/transport/ws/ws_connection.ts
var DEFAULT_WS_MAX_PACKET_SIZE = 1024 * 1024;
var PENDING_SLACK = 64 * 1024;
var EMPTY3 = new Uint8Array(0);
var encoder5 = new TextEncoder();

// src/transport/ws/_handshake_driver.ts
var REST_SLACK = 64 * 1024;

// src/peer/gorillaws/mod.ts
var mod_exports = {};
__export(mod_exports, {
  Acceptor: () => WSAcceptor,
  Connector: () => WSConnector,
  SyncConnector: () => WSSyncConnector,
  WSAcceptor: () => WSAcceptor,
  WSConnector: () => WSConnector,
  WSSyncConnector: () => WSSyncConnector
});
var REQUEST = "request";
function layerOptions(ws, session) {
  const peerMax = session.maxPacketSize;
  const own = ws?.maxPacketSize;
  const limit = peerMax > 0 ? peerMax - 1 : void 0;
  const maxPacketSize = limit === void 0 ? own : own === void 0 ? limit : Math.min(own, limit);
  return { ...ws, maxPacketSize, frameTimeoutMs: ws?.frameTimeoutMs ?? session.frameTimeoutMs };
}
var WSAcceptor = class extends GenericAcceptor {
  #webSocket;
  /** Create a WebSocket acceptor; nothing happens until `start()`. */
  constructor(options) {
    super(options, "gorillaws.Acceptor", "ws");
    this.#webSocket = options.webSocket;
  }
  /** Keep the upgrade request as session context `"request"`. */
  prepareSession(session, conn) {
    const request = conn.request;
    if (request !== void 0) session.setContext(REQUEST, request);
  }
  /** The WebSocket options, for the ws transport. */
  protocolOptions() {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
};
var WSConnector = class extends GenericConnector {
  #webSocket;
  /** Create a WebSocket connector; nothing happens until `start()`. */
  constructor(options) {
    super(options, "gorillaws.Connector", "ws");
    this.#webSocket = options.webSocket;
  }
  /** The WebSocket options, for the ws transport. */
  protocolOptions() {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
};
var WSSyncConnector = class extends GenericSyncConnector {
  #webSocket;
  /** Create a WebSocket sync connector; nothing happens until `start()`. */
  constructor(options) {
    super(options, "gorillaws.SyncConnector", "ws");
    this.#webSocket = options.webSocket;
  }
  /** The WebSocket options, for the ws transport. */
  protocolOptions() {
    return layerOptions(this.#webSocket, this.sessionOptions);
  }
};
registerPeerCreator("gorillaws.Acceptor", (o) => new WSAcceptor(o));
registerPeerCreator("gorillaws.Connector", (o) => new WSConnector(o));
registerPeerCreator("gorillaws.SyncConnector", (o) => new WSSyncConnector(o));

// src/transport/transport.ts
var WRITE_HIGH_WATER = 64 * 1024;

// src/entries/browser.ts
registerTransport("ws", "browser", () => Promise.resolve(browserWebSocketTransport));

// examples/chat/proto.ts
var ChatREQ = defineMessage("proto.ChatREQ", { Content: t.string });
var ChatACK = defineMessage("proto.ChatACK", { Content: t.string, Id: t.int64 });

// examples/chat/web/app.ts
function element(id) {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el;
}
var messages = element("messages");
var status = element("status");
var form = element("form");
var input = element("line");
var path = document.querySelector('meta[name="cellnet-chat-path"]')?.getAttribute("content") || "/";
var address = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
function show(text, kind) {
  const atEnd = messages.scrollTop + messages.clientHeight >= messages.scrollHeight - 4;
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  messages.append(item);
  if (atEnd) messages.scrollTop = messages.scrollHeight;
}
function setStatus(state, text) {
  status.setAttribute("data-state", state);
  status.textContent = text;
}
var logger = {
  debug: () => {
  },
  info: (m) => console.info(m),
  warn: (m, e) => console.warn(m, e ?? ""),
  error: (m, e) => console.error(m, e ?? "")
};
var queue = new EventQueue({ logger }).startLoop();
var connector = new mod_exports.Connector({
  name: "page",
  address,
  queue,
  logger,
  // A restarted server is rejoined; what is typed meanwhile is kept and sent.
  reconnectIntervalMs: 2e3
});
var dispatcher = new MessageDispatcher().on(SessionConnected, () => {
  setStatus("connected", `connected to ${address}`);
  show(`connected to ${address}`, "notice");
}).on(SessionConnectError, () => {
  setStatus("disconnected", `cannot reach ${address}, retrying\u2026`);
}).on(SessionClosed, () => {
  setStatus("disconnected", "disconnected, reconnecting\u2026");
  show("disconnected", "notice");
}).on(ChatACK, (msg) => show(`sid${msg.Id} say: ${msg.Content}`, "line"));
bindProcessorHandler(connector, "gorillaws.ltv", dispatcher.callback);
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const content = input.value.trim();
  if (content === "") return;
  try {
    if (!connector.session.send(new ChatREQ({ Content: content }))) {
      show("not sent: the connection is closed", "notice");
      return;
    }
  } catch (e) {
    show(`not sent: ${e?.message ?? e}`, "notice");
    return;
  }
  input.value = "";
  input.focus();
});
setStatus("connecting", `connecting to ${address}\u2026`);
connector.start().catch((e) => {
  setStatus("disconnected", `cannot start: ${e?.message ?? e}`);
});
input.focus();
