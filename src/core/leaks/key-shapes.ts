// A check that needs no lookup before a lookup of a parameter name in a short list.
//
// The leak detectors ask, for every parameter name of every third-party request, whether
// it is one of a few dozen names (hashed-PII parameters, shopping data keys). The names
// are new strings on each request, so a Set or Map lookup hashes each one, and next to the
// rest of a request's analysis that lookup measured far dearer than it does alone (about
// 0.8 µs a request for the shopping check in the whole analysis against 0.3 µs in a loop of
// its own). Most names are ruled out here by their length and their first and last
// characters, ASCII case folded, read from two small tables.

/** Names longer than this are never ruled out here. */
const MAX_LENGTH = 63;

export interface KeyShapes {
  /**
   * False when `key`, lower-cased, cannot be one of the names. True proves nothing: look
   * the name up. Never false for a name whose first or last character is not ASCII
   * (lower-casing those can give ASCII letters: the Kelvin sign gives 'k').
   */
  mayBe(key: string): boolean;
}

/** The bit of a character: ASCII letters fold to their lower case (others may share bits). */
function bit(c: number): number {
  return 1 << ((c | 0x20) & 31);
}

/** The shapes of `names` (each lower-case ASCII, as the lists hold them). */
export function keyShapes(names: Iterable<string>): KeyShapes {
  const first = new Int32Array(MAX_LENGTH + 1);
  const last = new Int32Array(MAX_LENGTH + 1);
  let hasEmpty = false;
  let checksLong = true;
  for (const name of names) {
    if (name.length === 0) hasEmpty = true;
    // A list with a name past MAX_LENGTH rules nothing out over it; none of ours has one.
    if (name.length > MAX_LENGTH) checksLong = false;
    if (name.length === 0 || name.length > MAX_LENGTH) continue;
    first[name.length] = (first[name.length] as number) | bit(name.charCodeAt(0));
    last[name.length] = (last[name.length] as number) | bit(name.charCodeAt(name.length - 1));
  }
  return {
    mayBe(key: string): boolean {
      const n = key.length;
      if (n > MAX_LENGTH) return !checksLong;
      if (n === 0) return hasEmpty;
      const a = key.charCodeAt(0);
      const z = key.charCodeAt(n - 1);
      if (a >= 0x80 || z >= 0x80) return true;
      return ((first[n] as number) & bit(a)) !== 0 && ((last[n] as number) & bit(z)) !== 0;
    },
  };
}
