// Lookup tables packed into one string, for knowledge that must be ready the moment a worker
// wakes: one line per entry, `key\t<fields>\n`, lines sorted by key (JavaScript string
// order), the whole table ending with '\n'. A lookup is a binary search over character
// positions, so loading a table costs only reading its string literal: nothing is parsed,
// split or inserted into a Map up front (a 500 KB JSON object graph cost ~20 ms per start).
// Keys never contain '\t' or '\n' (the build scripts check).

const TAB = 9;
const NEWLINE = '\n';

/**
 * Where the fields of `key`'s line start (just after `key\t`), or -1 when the table has no
 * such key. About log2(lines) steps, each comparing a few characters; no allocation.
 * `from`/`to` (line starts) narrow the search to a block of lines; `keyStart`/`keyEnd` look
 * up a slice of `key` without making it.
 */
export function findLine(
  table: string,
  key: string,
  from = 0,
  to = table.length,
  keyStart = 0,
  keyEnd = key.length,
): number {
  const n = keyEnd - keyStart;
  // lo and hi are always line starts: the search range is the lines [lo, hi).
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === lo ? lo : table.lastIndexOf(NEWLINE, mid - 1) + 1;
    // Compare `key + '\t'` with the line: '\t' sorts before every character a key can hold,
    // so this order is the keys' order.
    let c: number;
    for (let i = 0; ; i++) {
      const a = i < n ? key.charCodeAt(keyStart + i) : TAB;
      const b = table.charCodeAt(start + i);
      if (a !== b) {
        c = a - b;
        break;
      }
      if (b === TAB) {
        if (i === n) return start + n + 1;
        c = 1; // the key goes on with a tab where this line's key ends: it sorts after
        break;
      }
    }
    if (c < 0) hi = start;
    else lo = table.indexOf(NEWLINE, start) + 1;
  }
  return -1;
}
