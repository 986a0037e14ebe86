// MD5, SHA-1 and SHA-256 for the variant builder (variants.ts), written for what it hashes:
// short values (cookie ids, a few dozen bytes), one after another, every time a page
// reveals a new id. A general-purpose hasher object per call (buffers, views, a class
// instance) cost more than the compression itself for such inputs; these reuse one block
// buffer and one word array. Same answers as @noble/hashes (test/unit/leaks/digest.test.ts);
// SHA-512, used only when a canary is registered, stays with @noble/hashes.

/** Padded message: grown to the largest message seen (reused, not kept per call). */
let block = new Uint8Array(128);
const W = new Int32Array(80);

/** Copies `bytes` into the shared block buffer with MD-style padding and a 64-bit length. */
function pad(bytes: Uint8Array, bigEndian: boolean): number {
  const total = (((bytes.length + 8) >>> 6) + 1) << 6;
  if (block.length < total) block = new Uint8Array(total);
  block.set(bytes);
  block.fill(0, bytes.length, total);
  block[bytes.length] = 0x80;
  // Bit length; messages here are far below 2^29 bytes, so the high word is 0.
  const bits = bytes.length * 8;
  for (let i = 0; i < 4; i++) {
    const byte = (bits >>> (8 * i)) & 0xff;
    block[bigEndian ? total - 1 - i : total - 8 + i] = byte;
  }
  return total;
}

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

const MD5_K = Int32Array.from({ length: 64 }, (_, i) =>
  Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296),
);
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

export function md5(bytes: Uint8Array): Uint8Array {
  const total = pad(bytes, false);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const p = off + i * 4;
      W[i] =
        (block[p] as number) |
        ((block[p + 1] as number) << 8) |
        ((block[p + 2] as number) << 16) |
        ((block[p + 3] as number) << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      f = (f + a + (MD5_K[i] as number) + (W[g] as number)) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotl(f, MD5_S[((i >>> 4) << 2) | (i & 3)] as number)) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const out = new Uint8Array(16);
  const words = [a0, b0, c0, d0];
  for (let i = 0; i < 16; i++) out[i] = ((words[i >>> 2] as number) >>> (8 * (i & 3))) & 0xff;
  return out;
}

/** Reads the big-endian words of the 64-byte block at `off` into W[0..15]. */
function loadBigEndian(off: number): void {
  for (let i = 0; i < 16; i++) {
    const p = off + i * 4;
    W[i] =
      ((block[p] as number) << 24) |
      ((block[p + 1] as number) << 16) |
      ((block[p + 2] as number) << 8) |
      (block[p + 3] as number);
  }
}

function bigEndianBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  for (let i = 0; i < out.length; i++)
    out[i] = ((words[i >>> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff;
  return out;
}

export function sha1(bytes: Uint8Array): Uint8Array {
  const total = pad(bytes, true);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < total; off += 64) {
    loadBigEndian(off);
    for (let i = 16; i < 80; i++)
      W[i] = rotl(
        (W[i - 3] as number) ^ (W[i - 8] as number) ^ (W[i - 14] as number) ^ (W[i - 16] as number),
        1,
      );
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // Four loops, one per round function, so no loop body branches on the round.
    for (let i = 0; i < 20; i++) {
      const t = (rotl(a, 5) + ((b & c) | (~b & d)) + e + 0x5a827999 + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    for (let i = 20; i < 40; i++) {
      const t = (rotl(a, 5) + (b ^ c ^ d) + e + 0x6ed9eba1 + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    for (let i = 40; i < 60; i++) {
      const f = (b & c) | (b & d) | (c & d);
      const t = (rotl(a, 5) + f + e + (0x8f1bbcdc | 0) + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    for (let i = 60; i < 80; i++) {
      const t = (rotl(a, 5) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + (W[i] as number)) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return bigEndianBytes([h0, h1, h2, h3, h4]);
}

/** The first `n` primes (for the SHA-256 constants below). */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; out.length < n; p++) if (out.every((q) => p % q !== 0)) out.push(p);
  return out;
}
/** First 32 bits of the fractional part of `x` (the constants' definition in FIPS 180-4). */
function frac32(x: number): number {
  return Math.floor((x - Math.floor(x)) * 4294967296) | 0;
}
const SHA256_K = Int32Array.from(primes(64), (p) => frac32(Math.cbrt(p)));
const SHA256_H = Int32Array.from(primes(8), (p) => frac32(Math.sqrt(p)));

export function sha256(bytes: Uint8Array): Uint8Array {
  const total = pad(bytes, true);
  const h = Int32Array.from(SHA256_H);
  for (let off = 0; off < total; off += 64) {
    loadBigEndian(off);
    for (let i = 16; i < 64; i++) {
      const w15 = W[i - 15] as number;
      const w2 = W[i - 2] as number;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      W[i] = ((W[i - 16] as number) + s0 + (W[i - 7] as number) + s1) | 0;
    }
    let a = h[0] as number;
    let b = h[1] as number;
    let c = h[2] as number;
    let d = h[3] as number;
    let e = h[4] as number;
    let f = h[5] as number;
    let g = h[6] as number;
    let hh = h[7] as number;
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + ch + (SHA256_K[i] as number) + (W[i] as number)) | 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + c) | 0;
    h[3] = ((h[3] as number) + d) | 0;
    h[4] = ((h[4] as number) + e) | 0;
    h[5] = ((h[5] as number) + f) | 0;
    h[6] = ((h[6] as number) + g) | 0;
    h[7] = ((h[7] as number) + hh) | 0;
  }
  return bigEndianBytes(Array.from(h));
}
