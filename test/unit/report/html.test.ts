import { createHash } from 'node:crypto';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { parseAuthorizedList } from '../../../src/report/authorized.ts';
import { buildReport } from '../../../src/report/build.ts';
import { escapeHtml } from '../../../src/report/escape.ts';
import { reportHtml } from '../../../src/report/html.ts';
import { HOSTILE, META, sampleInput } from './rows.fixture.ts';

const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class']);

function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

describe('HTML report', () => {
  const report = buildReport(sampleInput(), META, {
    authorized: parseAuthorizedList('tagvendor.test'),
  });
  const html = reportHtml(report);
  const doc = parse(html);

  it('has no script, no event handler and no attribute carrying page data', () => {
    expect(
      doc.querySelectorAll('script, iframe, object, embed, img, link, base, form').length,
    ).toBe(0);
    for (const el of Array.from(doc.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        expect(ALLOWED_ATTRIBUTES.has(attr.name), `${el.tagName} ${attr.name}`).toBe(true);
      }
    }
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i);
  });

  it('shows hostile strings as text', () => {
    const text = doc.body.textContent ?? '';
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.attr);
    expect(text).toContain('Pixel <script>alert(1)</script>');
  });

  it('makes bidi overrides and zero-width characters visible instead of active', () => {
    const text = doc.body.textContent ?? '';
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/);
    expect(text).toContain('evilU+202Egnp.exe');
    expect(text).toContain('payU+200Bpal');
    expect(escapeHtml('a\u0000b\ud800c')).toBe(
      'a<span class="cp">U+0000</span>b<span class="cp">U+D800</span>c',
    );
  });

  it('is self-contained with a strict CSP whose style hash matches', () => {
    const csp =
      doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ??
      '';
    expect(csp).toContain("default-src 'none'");
    const css = doc.querySelector('style')?.textContent ?? '';
    const hash = createHash('sha256').update(css).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/(src|href)\s*=|url\(|@import/i);
  });

  it('lists the script-level tag chain, page data as text', () => {
    const cells = Array.from(doc.querySelectorAll('td')).map((td) => td.textContent ?? '');
    expect(cells).toContain(`https://www.tagvendor.test/t.js?${HOSTILE.attr}tagvendor.test`);
    expect(cells).toContain(`https://www.pixel.test/${HOSTILE.script}`);
  });

  it('lists the unauthorized party and its chain', () => {
    const text = doc.body.textContent ?? '';
    expect(text).toContain('unauthorized-party');
    expect(text).toContain('tagvendor.test ← page');
  });
});
