// The pre-checks that let the analysis skip work (core performance, bench/README.md) must
// only ever skip what could not have matched: each test pairs a rejection with the slow
// answer it stands for, and checks that the look-alikes the pre-check must let through
// (other lengths after trimming, case, '#', trailing '/', long values) still match.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addFoldedGrams,
  foldedGramKeys,
  gramKeys,
  gramsOf,
  longGramKeys,
  longGramsOf,
  mayContain,
  mayContainFolded,
  mayContainLong,
  MAX_GRAM_TEXT,
  wideGrams,
} from '../../../src/core/leaks/grams.ts';
import { VariantIndex } from '../../../src/core/leaks/match.ts';
import { LastSeen } from '../../../src/core/leaks/common.ts';
import { keyShapes } from '../../../src/core/leaks/key-shapes.ts';
import { hashedPiiKey } from '../../../src/core/leaks/pii-keys.ts';
import { buildVariants } from '../../../src/core/leaks/variants.ts';
import { extractRequest, extractUrl, requestTokens } from '../../../src/core/leaks/extract.ts';
import { parseUrl } from '../../../src/core/url.ts';
import {
  mayBeRecorderHost,
  RECORDER_DOMAINS,
} from '../../../src/core/detectors/session-recording.ts';
import { registrableDomain } from '../../../src/core/party.ts';
import { RECORDERS, recorderOf } from '../../../src/core/pageworld/recorders.ts';
import { pageUrlLeak } from '../../../src/core/detectors/page-url-leak.ts';
import { harness, req } from './helpers.ts';

describe('character-pair pre-check (grams.ts)', () => {
  const alphabet = fc.constantFrom(...'ab01%@.-_=é\u{1F600}'.split(''));
  const text = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));

  it('never rejects a string the text contains', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (t, i, n) => {
        const start = t.length === 0 ? 0 : i % t.length;
        const s = t.slice(start, start + 2 + (n % 10));
        if (s.length < 2) return;
        expect(mayContain(gramsOf(t), gramKeys(s))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a rejection is always a string the text does not contain', () => {
    fc.assert(
      fc.property(text, text, (t, s) => {
        if (s.length < 2) return;
        if (!mayContain(gramsOf(t), gramKeys(s))) expect(t.includes(s)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects a value whose pairs are missing, and gives no bitmap for a long text', () => {
    expect(mayContain(gramsOf('https://t.example/p?a=1'), gramKeys('jane@example.com'))).toBe(
      false,
    );
    expect(gramsOf('x'.repeat(MAX_GRAM_TEXT + 1))).toBeNull();
    expect(mayContain(null, gramKeys('anything'))).toBe(true);
  });
});

describe('case-folded three-character windows (grams.ts, the request glance)', () => {
  // 'A' and U+0441 share their low ten bits, as do 'a' and U+0461: the window codes keep
  // only those, so such pairs must never make a contained string look absent.
  const alphabet = fc.constantFrom(...'aAbBzZ09%@.=-_é\u0441\u0461\u0100\u{1F600}'.split(''));
  const text = fc.array(alphabet, { maxLength: 80 }).map((a) => a.join(''));
  const foldedBits = (t: string) => {
    const bits = wideGrams();
    addFoldedGrams(bits, t);
    return bits;
  };
  const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const swapAsciiCase = (s: string) =>
    s.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

  it('never rules out a string the text holds, in either ASCII case', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), fc.boolean(), (t, i, n, swap) => {
        const start = t.length === 0 ? 0 : i % t.length;
        const s = t.slice(start, start + 3 + (n % 20));
        expect(mayContainFolded(foldedBits(t), foldedGramKeys(swap ? swapAsciiCase(s) : s))).toBe(
          true,
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('a rule-out is always a string the text does not hold, case aside', () => {
    fc.assert(
      fc.property(text, text, (t, s) => {
        if (!mayContainFolded(foldedBits(t), foldedGramKeys(s)))
          expect(asciiLower(t).includes(asciiLower(s))).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it('rules out a value none of whose windows the text has', () => {
    const bits = foldedBits('https://tracker.example/p?id=12345');
    expect(mayContainFolded(bits, foldedGramKeys('TRACKER.example'))).toBe(true);
    expect(mayContainFolded(bits, foldedGramKeys('jane.canary@leakwatch.example'))).toBe(false);
  });
});

describe('long-text windows (grams.ts, the substring pass past MAX_GRAM_TEXT)', () => {
  // Texts past the pair bitmap's limit, from the same treacherous alphabet as above.
  const alphabet = fc.constantFrom(...'aAbBzZ09%@.=-_é\u0441\u0461\u0100\u{1F600}'.split(''));
  const long = fc
    .array(alphabet, { minLength: MAX_GRAM_TEXT + 1, maxLength: MAX_GRAM_TEXT + 400 })
    .map((a) => a.join(''));

  it('never rules out a string the text holds, wherever it is', () => {
    fc.assert(
      fc.property(long, fc.nat(), fc.nat(), (t, i, n) => {
        const start = i % t.length;
        const s = t.slice(start, start + 1 + (n % 40));
        expect(mayContainLong(longGramsOf(t), longGramKeys(s))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a rule-out is always a string the text does not hold', () => {
    fc.assert(
      fc.property(long, fc.array(alphabet, { minLength: 3, maxLength: 30 }), (t, a) => {
        const s = a.join('');
        if (!mayContainLong(longGramsOf(t), longGramKeys(s))) expect(t.includes(s)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('rules out an id absent from a 64 KB body of random text, which pairs could not', () => {
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 48271) >>> 0) % 2147483647);
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const body = Array.from({ length: 65_000 }, () => abc[next() % 36]).join('');
    expect(gramsOf(body)).toBeNull();
    const bits = longGramsOf(body);
    expect(mayContainLong(bits, longGramKeys('Qz81xK0aPf93LmNvTt'))).toBe(false);
    expect(mayContainLong(bits, longGramKeys(body.slice(40_000, 40_024)))).toBe(true);
  });
});

describe('VariantIndex pre-checks', () => {
  const index = () => {
    const i = new VariantIndex<string>();
    i.add('email', buildVariants([{ value: 'jane@example.com', form: 'n' }], { hashes: true }));
    i.add('id', buildVariants([{ value: 'Ab12Cd34Ef56', form: 'cookie' }], { hashes: true }));
    return i;
  };

  it('a token of another length is not a hit; the same value is', () => {
    const i = index();
    expect(i.match(extractUrl('https://t.example/p?x=Ab12Cd34Ef5'), { substring: false })).toEqual(
      [],
    );
    expect(i.match(extractUrl('https://t.example/p?x=Ab12Cd34Ef56'))[0]?.owner).toBe('id');
  });

  it('still compares hex digests and addresses case-insensitively', () => {
    const i = index();
    const md5 = [
      ...buildVariants([{ value: 'jane@example.com', form: 'n' }], { hashes: true }).keys(),
    ].find((v) => /^[0-9a-f]{32}$/.test(v)) as string;
    const hits = i.match(extractUrl(`https://t.example/p?h=${md5.toUpperCase()}`), {
      substring: false,
    });
    expect(hits.map((m) => m.encoding)).toContain('md5');
    const at = i.match(extractUrl('https://t.example/p?e=JANE@Example.COM'), { substring: false });
    expect(at[0]?.owner).toBe('email');
  });

  it('an index without addresses does not lower-case "@" tokens, and needs not', () => {
    const i = new VariantIndex<string>();
    i.add('id', buildVariants([{ value: 'abcdefgh@ij', form: 'x' }], { hashes: false }));
    // The variant itself has an '@': upper case still matches.
    expect(i.match(extractUrl('https://t.example/p?e=ABCDEFGH@IJ'))[0]?.owner).toBe('id');
  });

  it('variants longer than the length table are still looked up', () => {
    const long = `id${'x1'.repeat(2_100)}`;
    const i = new VariantIndex<string>();
    i.add('long', new Map([[long, { encoding: 'plain', form: 'x', prefix: false }]]));
    const x = extractRequest(
      req('https://t.example/p', {
        method: 'POST',
        body: { kind: 'form', fields: { v: [long] }, truncated: false },
      }),
    );
    expect(i.match(x, { substring: false })[0]?.owner).toBe('long');
  });

  it('the substring pass finds a value glued into short and long haystacks', () => {
    const i = index();
    const glued = extractUrl('https://t.example/p?c=CMRUM3=Ab12Cd34Ef56xyz');
    expect(i.match(glued).find((m) => m.substring)?.owner).toBe('id');
    const longUrl = `https://t.example/p?pad=${'z'.repeat(MAX_GRAM_TEXT)}&c=qqAb12Cd34Ef56qq`;
    expect(i.match(extractUrl(longUrl)).some((m) => m.owner === 'id')).toBe(true);
  });
});

describe('repeated Cookie headers (common.ts LastSeen)', () => {
  it('turns away only the value last read for the same key, and keeps nothing past its bound', () => {
    const seen = new LastSeen(20);
    expect(seen.repeats('a.example', 'id=1')).toBe(false);
    expect(seen.repeats('a.example', 'id=1')).toBe(true);
    expect(seen.repeats('b.example', 'id=1')).toBe(false); // another party's is its own
    expect(seen.repeats('a.example', 'id=2')).toBe(false);
    expect(seen.repeats('a.example', 'id=1')).toBe(false); // only the last one counts
    // 8 characters are kept; a 13-character value does not fit and is read every time.
    const long = 'id=0123456789';
    expect(seen.repeats('c.example', long)).toBe(false);
    expect(seen.repeats('c.example', long)).toBe(false);
    // A party's new value frees its old one's characters.
    expect(seen.repeats('b.example', 'x')).toBe(false);
    expect(seen.repeats('c.example', long)).toBe(false);
    expect(seen.repeats('c.example', long)).toBe(true);
  });
});

describe('one extraction per request', () => {
  it('is made once and shared with extractRequest (storage reads the same one)', () => {
    const r = req('https://t.example/p?a=hello-world-1234');
    const ctx = { url: parseUrl(r.url) };
    const first = requestTokens(r, ctx);
    expect(requestTokens(r, ctx)).toBe(first);
    expect(extractRequest(r)).toBe(first);
    expect(first.tokens.map((t) => t.value)).toContain('hello-world-1234');
  });
});

describe('session-recording host pre-check', () => {
  it('lets every recorder host and its subdomains through', () => {
    for (const r of RECORDERS)
      for (const h of r.hosts) {
        expect(mayBeRecorderHost(h)).toBe(true);
        expect(mayBeRecorderHost(`in.${h}`)).toBe(true);
      }
  });

  it('finds the domain of every host under a recorder suffix among RECORDER_DOMAINS', () => {
    // The detector turns away a party whose domain is not in the set: that is only right
    // while no public-suffix rule lies under a recorder host (a `*.h` rule would give
    // `a.b.h` the domain `a.b.h`).
    for (const r of RECORDERS)
      for (const h of r.hosts) {
        expect(RECORDER_DOMAINS.has(registrableDomain(h))).toBe(true);
        for (const sub of ['www', 'in', 'a.b', 'x-1.y-2.z'])
          expect(registrableDomain(`${sub}.${h}`)).toBe(registrableDomain(h));
      }
    expect(RECORDER_DOMAINS.has('example.com')).toBe(false);
  });

  it('rejects only hosts recorderOf would not name', () => {
    const hosts = [
      'nothotjar.com',
      'hotjar.com.evil.example',
      'cdn.example.com',
      'clarity.ms',
      'www.clarity.ms',
      'x.lr-in.com',
      'mc.yandex.ru',
      'yandex.ru',
      'datadoghq.eu',
      'fullstory.co',
    ];
    for (const h of hosts) {
      if (!mayBeRecorderHost(h)) expect(recorderOf(`https://${h}/webvisor/x`)).toBeNull();
      if (recorderOf(`https://${h}/webvisor/x`)) expect(mayBeRecorderHost(h)).toBe(true);
    }
    expect(mayBeRecorderHost('nothotjar.com')).toBe(false);
    expect(mayBeRecorderHost('')).toBe(true); // no host: left to recorderOf
  });

  it('answers as the plain suffix test does, for any host', () => {
    // The plain reading: the host or one of its dot-suffixes is a recorder host.
    const suffixes = new Set(RECORDERS.flatMap((r) => r.hosts));
    const plain = (host: string) =>
      host === '' || host.split('.').some((_, i, l) => suffixes.has(l.slice(i).join('.')));
    const labels = [...suffixes].flatMap((h) => h.split('.'));
    const label = fc.oneof(fc.constantFrom(...labels, '', 'www', 'cdn', 'com'), fc.string());
    const host = fc.array(label, { maxLength: 5 }).map((l) => l.join('.'));
    fc.assert(
      fc.property(host, (h) => {
        expect(mayBeRecorderHost(h)).toBe(plain(h));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('page-url-leak length pre-check', () => {
  const PAGE = 'https://shop.example.com/products/blue-shoes?color=blue';
  it.each([
    ['exactly', PAGE],
    ['with a trailing slash', 'https://shop.example.com/products/blue-shoes/'],
    ['in upper case', 'HTTPS://SHOP.EXAMPLE.COM/PRODUCTS/BLUE-SHOES'],
    ['with a fragment', 'https://shop.example.com/products/blue-shoes#reviews'],
    ['with spaces around it', '  https://shop.example.com/products/blue-shoes  '],
  ])('still matches the page address %s', (_name, sent) => {
    const h = harness([pageUrlLeak], PAGE);
    const findings = h.request(
      req('https://px.tracker.example/e', {
        method: 'POST',
        body: { kind: 'form', fields: { u: [sent] }, truncated: false },
      }),
    );
    expect(findings.map((f) => f.dataTypes[0])).toContain('page-url');
  });

  it('does not match a value of the same length that is another address', () => {
    const h = harness([pageUrlLeak], PAGE);
    const other = 'https://shop.example.com/products/blue-shoez';
    expect(h.request(req(`https://px.tracker.example/e?u=${encodeURIComponent(other)}`))).toEqual(
      [],
    );
  });
});

describe('parameter-name shapes (key-shapes.ts, before the name lists are looked up)', () => {
  // Letters in both cases, the Kelvin sign (lower-cases to 'k'), a dotted capital I
  // (lower-cases to two characters), digits and the punctuation the lists' names have.
  const alphabet = fc.constantFrom(...'kKsSuUeEmM_.[]#0\u212a\u0130\u00e9'.split(''));
  const name = fc.array(alphabet, { minLength: 0, maxLength: 6 }).map((a) => a.join(''));

  it('never rules out a name whose lower case is in the list', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 12 }), name, (list, key) => {
        const names = list.map((n) => n.toLowerCase());
        if (names.includes(key.toLowerCase())) expect(keyShapes(names).mayBe(key)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('rules out names of other lengths or other first and last letters, in any case', () => {
    const shapes = keyShapes(['sku', 'order_id', 'currency']);
    expect(shapes.mayBe('SKU')).toBe(true);
    expect(shapes.mayBe('Order_ID')).toBe(true);
    expect(shapes.mayBe('s\u212au')).toBe(true); // the Kelvin sign in the middle
    expect(shapes.mayBe('\u212a')).toBe(true); // not ASCII at an end: never ruled out
    expect(shapes.mayBe('tid')).toBe(false);
    expect(shapes.mayBe('v')).toBe(false);
    expect(shapes.mayBe('currenci')).toBe(false);
    expect(shapes.mayBe('')).toBe(false);
    expect(keyShapes(['']).mayBe('')).toBe(true);
  });

  it('hashedPiiKey still reads every case and the last segment of a JSON path', () => {
    expect(hashedPiiKey('UD[EM]')).toBe('email');
    expect(hashedPiiKey('user.HEM')).toBe('email');
    expect(hashedPiiKey('context.user.Phone_Number')).toBe('phone');
    expect(hashedPiiKey('user.hemx')).toBeNull();
    expect(hashedPiiKey('tid')).toBeNull();
  });
});
