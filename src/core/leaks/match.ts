// Matching precomputed variants against a request's tokens: one Map lookup per token, then
// a bounded substring pass over the raw haystacks for owners the tokens did not find (a
// value glued inside a longer string, as in `CMRUM3=3955e2…<id>`).
import type { Encoding, Location } from '../model.ts';
import type { Extraction, TokenEncoding } from './tokens.ts';
import type { VariantInfo } from './variants.ts';
import {
  foldedGramKeys,
  gramKeys,
  gramsOf,
  longGramKeys,
  longGramsOf,
  mayContain,
  mayContainFolded,
  mayContainLong,
} from './grams.ts';
import type { Glance, GlancePart } from './glance.ts';

export interface LeakMatch<T> {
  owner: T;
  info: VariantInfo;
  /** The variant string that matched (kept in memory only; never put it in a finding). */
  variant: string;
  location: Location;
  /** Parameter or field that carried it; '' for a substring hit in raw text. */
  key: string;
  encoding: Encoding;
  /** True when found by the substring pass rather than as a whole token or piece. */
  substring: boolean;
}

interface Entry<T> {
  owner: T;
  info: VariantInfo;
  variant: string;
  /** Pair hashes of `variant`, for substring entries (see grams.ts). */
  grams: Uint16Array | null;
  /** Its window bits for long haystacks (grams.ts longGramKeys), made when first needed. */
  long?: Uint32Array;
}

/** Substring hits need some length, or short values would match everywhere (§2.5). */
export const MIN_SUBSTRING_LENGTH = 8;
/** Haystacks longer than this are searched only in their first part. */
const MAX_HAYSTACK = 65_536;
const MAX_MATCHES = 200;

function combine(variant: Encoding, token: TokenEncoding): Encoding {
  // A hash found inside a base64 token is still a hash; a plain value found in a
  // base64-decoded token was sent as base64.
  return variant === 'plain' ? token : variant;
}

const HEX = /^[0-9a-fA-F]{32,128}$/;
const ALL_PARTS: readonly GlancePart[] = ['url', 'cookie', 'referer'];
const MAX_GLANCE_VARIANTS = 1_024;
/** Variant lengths are kept in a byte table up to this; longer ones are always looked up. */
const MAX_VARIANT_LENGTH = 4_096;

export class VariantIndex<T> {
  private readonly exact = new Map<string, Entry<T>[]>();
  /**
   * Lengths of the exact variants: a token of any other length cannot be one, so most
   * tokens are turned away by a Set lookup on a number before their string is hashed.
   * Lower-casing (hex digests, addresses) only changes the length of non-ASCII text.
   */
  private lengths: Uint8Array | null = null; // made by the first add: many pages learn nothing
  /** Whether any variant has an '@' (an address): only then do '@' tokens get lower-cased. */
  private hasAt = false;
  private readonly substrings: Entry<T>[] = [];
  /**
   * For mayMatch: the case-folded window keys of each distinct variant (grams.ts), made
   * when it is added like the variant itself, and each one's first key apart, so that
   * most variants are ruled out by one bit test.
   */
  private readonly foldedKeys: Uint16Array[] = [];
  private readonly firstKeys: number[] = [];
  /** A variant under 3 characters: no window to rule it out by. */
  private tooShort = false;
  private readonly owners = new Set<T>();

  /**
   * `groupOf` names owners that stand for one thing (a cookie's whole value and its
   * pieces): once one of them is found as a token, the substring pass skips the rest.
   */
  constructor(private readonly groupOf: (owner: T) => unknown = (o) => o) {}

  get size(): number {
    return this.owners.size;
  }

  has(owner: T): boolean {
    return this.owners.has(owner);
  }

  add(owner: T, variants: ReadonlyMap<string, VariantInfo>): void {
    this.owners.add(owner);
    for (const [variant, info] of variants) {
      const entry: Entry<T> = { owner, info, variant, grams: null };
      // A longer variant is never looked up by length (see sizedFor): it is always tried.
      if (variant.length <= MAX_VARIANT_LENGTH) {
        this.lengths ??= new Uint8Array(MAX_VARIANT_LENGTH + 1);
        this.lengths[variant.length] = 1;
      }
      if (variant.includes('@')) this.hasAt = true;
      const list = this.exact.get(variant);
      if (list) list.push(entry);
      else {
        this.exact.set(variant, [entry]);
        const keys = foldedGramKeys(variant);
        if (keys.length === 0) this.tooShort = true;
        else {
          this.foldedKeys.push(keys);
          this.firstKeys.push(keys[0] as number);
        }
      }
      // Only the readable forms are searched as substrings: digests travel as whole tokens,
      // and every extra pattern costs a pass over the body.
      const readable =
        info.encoding === 'plain' || info.encoding === 'url' || info.encoding === 'base64';
      if (readable && variant.length >= MIN_SUBSTRING_LENGTH && !variant.endsWith('=')) {
        entry.grams = gramKeys(variant);
        this.substrings.push(entry);
      }
    }
  }

  /**
   * False when no variant can be in the request `g` glanced at (leaks/glance.ts): then
   * match() on its tokens would find nothing, and the request need not be tokenized for
   * this index. Every token match needs the variant's characters in a token, every
   * substring match in a haystack, and both are among the glance's texts. `parts` names
   * where a match would count (id-sync reads only what the URL sends).
   */
  mayMatch(g: Glance, parts: readonly GlancePart[] = ALL_PARTS): boolean {
    // Past this many variants the tokens are the cheaper way to be sure (match looks each
    // token up once, whatever the number of variants).
    if (this.tooShort || this.firstKeys.length > MAX_GLANCE_VARIANTS) return true;
    const keys = this.foldedKeys;
    const first = this.firstKeys;
    for (const part of parts) {
      const bits = g.grams[part];
      if (bits === null) continue;
      for (let i = 0; i < first.length; i++) {
        const h = first[i] as number;
        if (((bits[h >>> 5] as number) & (1 << (h & 31))) === 0) continue;
        if (mayContainFolded(bits, keys[i] as Uint16Array)) return true;
      }
    }
    return false;
  }

  match(x: Extraction, opts: { substring?: boolean } = {}): LeakMatch<T>[] {
    const out: LeakMatch<T>[] = [];
    if (this.owners.size === 0) return out;
    // Made on the first hit: most requests have none, and this runs for several indexes.
    let seen: Set<string> | null = null;
    let found: Set<unknown> | null = null;
    const push = (e: Entry<T>, m: Omit<LeakMatch<T>, 'owner' | 'info' | 'variant'>) => {
      const id = `${this.idOf(e.owner)}|${m.location}|${m.key}`;
      seen ??= new Set();
      found ??= new Set();
      if (seen.has(id) || out.length >= MAX_MATCHES) return;
      seen.add(id);
      found.add(this.groupOf(e.owner));
      out.push({ owner: e.owner, info: e.info, variant: e.variant, ...m });
    };
    const lengths = this.lengths;
    for (const t of x.tokens) {
      const v = t.value;
      const sized = v.length > MAX_VARIANT_LENGTH || lengths?.[v.length] === 1;
      let hits = sized ? this.exact.get(v) : undefined;
      if (!hits) {
        // Only hex digests and addresses compare case-insensitively: test that before
        // lower-casing, which would copy every token. A hex token keeps its length; an
        // address can only be found among variants that have an '@'.
        if (
          (sized && v.length >= 32 && v.length <= 128 && HEX.test(v)) ||
          (this.hasAt && v.includes('@'))
        ) {
          const lower = v.toLowerCase();
          if (lower !== v) hits = this.exact.get(lower);
        }
      }
      if (!hits) continue;
      for (const e of hits) {
        push(e, {
          location: t.location,
          key: t.key,
          encoding: combine(e.info.encoding, t.encoding),
          substring: false,
        });
      }
    }
    if (opts.substring === false || this.substrings.length === 0) return out;
    // Each haystack's pair bitmap is made once per request and shared by every index.
    for (const h of x.haystacks) if (h.grams === undefined) h.grams = gramsOf(h.text);
    for (const e of this.substrings) {
      if (found !== null && (found as Set<unknown>).has(this.groupOf(e.owner))) continue;
      for (const h of x.haystacks) {
        if (e.grams !== null && !mayContain(h.grams ?? null, e.grams)) continue;
        if (h.grams === null) {
          // Too long for pairs: its windows rule out nearly every value it does not hold.
          h.long ??= longGramsOf(h.text.slice(0, MAX_HAYSTACK));
          e.long ??= longGramKeys(e.variant);
          if (!mayContainLong(h.long, e.long)) continue;
        }
        const text = h.text.length > MAX_HAYSTACK ? h.text.slice(0, MAX_HAYSTACK) : h.text;
        if (text.includes(e.variant)) {
          push(e, { location: h.location, key: '', encoding: e.info.encoding, substring: true });
          break;
        }
      }
    }
    return out;
  }

  // Owners are objects or strings; objects are told apart by identity.
  private readonly ids = new Map<T, number>();
  private idOf(owner: T): number {
    let id = this.ids.get(owner);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(owner, id);
    }
    return id;
  }
}
