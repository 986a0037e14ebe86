// A fast, non-cryptographic 53-bit string hash (the public-domain "cyrb53" construction).
// Its only job is joining: the relay hashes a cookie value written through document.cookie,
// the background hashes the value cookies.onChanged reports, and equal hashes join the two
// so the cookie row can name the script. It is not a secrecy measure: the background sees
// cookie values through the cookies API anyway; the point is that the page-world path never
// carries them.
export function hashValue(value: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return n.toString(16).padStart(14, '0');
}
