// How much information an identifier-like string can carry at most, and filters for values
// that carry little (timestamps, flags, language codes).
//
// The estimate follows the idea described in notes/detection-methods.md §0.3: find the
// smallest alphabet that contains every character, and count log2(alphabet size) bits per
// character. It is an upper bound: "homepage" scores like 8 random letters.

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

/** Smallest first. Separators (see SEPARATORS) are allowed in every class. */
const CLASSES: readonly (readonly [chars: string, size: number])[] = [
  ['01', 2],
  [DIGITS, 10],
  [`${DIGITS}abcdef`, 16],
  [LOWER, 26],
  [`${DIGITS}${LOWER}`, 36],
  [`${DIGITS}${LOWER}${UPPER}`, 62],
  // base64: 64 symbols; '=' is padding and adds no information
  [`${DIGITS}${LOWER}${UPPER}+/=`, 64],
  // URL-safe punctuation beyond the separators
  [`${DIGITS}${LOWER}${UPPER}~!*()'`, 68],
];
const ALPHABETS = CLASSES.map(([chars, size]) => ({ size, chars: new Set(chars) }));

/** Joining characters found inside ids (GA1.2.x.y, UUIDs): count in length, not alphabet. */
const SEPARATORS = new Set(['.', '_', '-']);

/** Past this length every character is counted as one bit: long values are rarely random. */
const LONG_VALUE = 256;

/**
 * For each ASCII character, a bit per class of CLASSES that allows it (separators are in
 * every class): one table lookup per character instead of a Set lookup per class.
 */
const CLASS_BITS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ALPHABETS.forEach(({ chars }, k) => {
    if (chars.has(ch) || SEPARATORS.has(ch)) CLASS_BITS[c] = (CLASS_BITS[c] as number) | (1 << k);
  });
}

/** Upper bound of the entropy of `value`, in bits (0 for ''). */
export function estimateMaxEntropy(value: string): number {
  if (!value) return 0;
  if (value.length > LONG_VALUE) return value.length;
  const v =
    value === value.toUpperCase() || value === value.toLowerCase() ? value.toLowerCase() : value;
  // The smallest class that holds every character; non-ASCII fits none of them.
  let fits = (1 << ALPHABETS.length) - 1;
  for (let i = 0; i < v.length && fits !== 0; i++) {
    const c = v.charCodeAt(i);
    fits &= c < 128 ? (CLASS_BITS[c] as number) : 0;
  }
  if (fits !== 0) {
    const k = 31 - Math.clz32(fits & -fits); // lowest set bit: the smallest class
    // All ASCII here, so the length in code units is the length in characters.
    return Math.log2((ALPHABETS[k] as { size: number }).size) * v.length;
  }
  let min = Infinity;
  let max = -Infinity;
  let len = 0;
  for (const c of v) {
    const cp = c.codePointAt(0) ?? 0;
    if (cp < min) min = cp;
    if (cp > max) max = cp;
    len++;
  }
  return Math.log2(Math.max(2, max - min + 1)) * len;
}

const DAY_MS = 864e5;
/** A number within this distance of now is a time, not an id (§0.4: about 13 months). */
const TIMESTAMP_WINDOW_MS = 400 * DAY_MS;

/** Unix seconds or milliseconds near `now`, or an ISO date: changes per visit, identifies no one. */
export function looksLikeTimestamp(value: string, now: number = Date.now()): boolean {
  if (/^\d{10}$/.test(value)) return Math.abs(Number(value) * 1000 - now) < TIMESTAMP_WINDOW_MS;
  if (/^\d{13}$/.test(value)) return Math.abs(Number(value) - now) < TIMESTAMP_WINDOW_MS;
  return /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
}

// Values that show up in cookies and parameters but carry a few bits at most. The flag words
// and single digits follow Privacy Badger's low-entropy list; ISO 639-1 codes cover language
// cookies; the rest are common settings words.
const ISO_639_1 =
  'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu';
const LOW_ENTROPY_VALUES: ReadonlySet<string> = new Set([
  '',
  'nodata',
  'no_data',
  'yes',
  'no',
  'true',
  'false',
  'dnt',
  'opt-out',
  'optout',
  'opt_out',
  'null',
  'undefined',
  'none',
  'on',
  'off',
  'enabled',
  'disabled',
  'accepted',
  'declined',
  'granted',
  'denied',
  ...DIGITS,
  ...ISO_639_1.split(' '),
]);

/** A flag, digit, language code or similar: never an identifier. Case-insensitive. */
export function isLowEntropyValue(value: string): boolean {
  return LOW_ENTROPY_VALUES.has(value.toLowerCase());
}
