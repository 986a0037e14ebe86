// Stack-to-script attribution on V8 (Chrome) and SpiderMonkey (Firefox) stack strings.
// The V8 strings are in the exact shape Chromium 156 produced for the page-world hooks in
// the e2e fixture (see test/e2e/pageworld.test.ts); the SpiderMonkey ones follow Firefox's
// documented `name@url:line:col` form, with its eval and Function variants.
import { describe, expect, it } from 'vitest';
import { callingScript, frameUrl, stackUrls } from '../../../src/core/pageworld/stack.ts';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const MOZ = 'moz-extension://6d4f5f0e-2d0c-4f55-9c1f-0b8a3c5e2a11';

describe('V8 stacks', () => {
  it('skips the extension wrapper frames and names the calling script', () => {
    const stack = [
      'Error',
      `    at captureStack (${EXT}/page-world.js:83:14)`,
      `    at onRead (${EXT}/page-world.js:301:38)`,
      `    at Object.apply (${EXT}/page-world.js:150:25)`,
      '    at fingerprint (https://cdn.fp-vendor.test:44321/fp.js?v=3:12:20)',
      '    at https://cdn.fp-vendor.test:44321/fp.js?v=3:40:1',
    ].join('\n');
    expect(callingScript(stack)).toBe('https://cdn.fp-vendor.test:44321/fp.js?v=3');
  });

  it('handles anonymous, async and constructor frames', () => {
    expect(
      callingScript(`Error\n    at Object.apply (${EXT}/p.js:1:1)\n    at https://a.test/x.js:1:2`),
    ).toBe('https://a.test/x.js');
    expect(callingScript(`Error\n    at async https://a.test/y.js:3:4`)).toBe(
      'https://a.test/y.js',
    );
    expect(callingScript(`Error\n    at new Widget (https://a.test/w.js:9:1)`)).toBe(
      'https://a.test/w.js',
    );
  });

  it('attributes eval code to the script that called eval', () => {
    const stack = [
      'Error',
      `    at Object.apply (${EXT}/page-world.js:1:1)`,
      '    at eval (eval at load (https://tags.test/loader.js:5:3), <anonymous>:1:10)',
      '    at load (https://tags.test/loader.js:5:3)',
    ].join('\n');
    expect(callingScript(stack)).toBe('https://tags.test/loader.js');
  });

  it('skips native frames and other extensions', () => {
    const stack = [
      'Error',
      `    at Object.apply (${EXT}/page-world.js:1:1)`,
      '    at Array.forEach (<anonymous>)',
      '    at chrome-extension://otherextensionid/inject.js:2:2',
      '    at run (https://site.test/app.js:7:7)',
    ].join('\n');
    expect(callingScript(stack)).toBe('https://site.test/app.js');
  });

  it('keeps inline code as the document URL, blob URLs whole, and drops fragments', () => {
    expect(callingScript('Error\n    at https://site.test/page.html#top:12:5')).toBe(
      'https://site.test/page.html',
    );
    expect(callingScript('Error\n    at f (blob:https://site.test/4f1c-9a:1:1)')).toBe(
      'blob:https://site.test/4f1c-9a',
    );
  });

  it('returns null when no page frame is left', () => {
    expect(callingScript('')).toBeNull();
    expect(callingScript('Error')).toBeNull();
    expect(callingScript(`Error\n    at Object.apply (${EXT}/page-world.js:1:1)`)).toBeNull();
  });
});

describe('SpiderMonkey stacks', () => {
  it('skips moz-extension frames and names the calling script', () => {
    const stack = [
      `captureStack@${MOZ}/page-world.js:83:14`,
      `apply@${MOZ}/page-world.js:150:25`,
      'fingerprint@https://cdn.fp-vendor.test/fp.js:12:20',
      '@https://cdn.fp-vendor.test/fp.js:40:1',
      '',
    ].join('\n');
    expect(callingScript(stack)).toBe('https://cdn.fp-vendor.test/fp.js');
  });

  it('handles eval, Function and nested-function names', () => {
    expect(callingScript('@https://tags.test/loader.js line 2 > eval:1:1')).toBe(
      'https://tags.test/loader.js',
    );
    expect(callingScript('anonymous@https://tags.test/t.js line 5 > Function:1:2')).toBe(
      'https://tags.test/t.js',
    );
    expect(callingScript('Widget/<.init@https://a.test/w.js:3:9')).toBe('https://a.test/w.js');
  });

  it('attributes code in about:blank frames to the frame', () => {
    expect(frameUrl('@about:blank:1:1')).toBe('about:blank');
  });
});

describe('stackUrls', () => {
  it('lists every script frame innermost first', () => {
    const s = `Error\n    at a (${EXT}/p.js:1:1)\n    at b (https://x.test/1.js:1:1)\n    at https://y.test/2.js:2:2`;
    expect(stackUrls(s)).toEqual([`${EXT}/p.js`, 'https://x.test/1.js', 'https://y.test/2.js']);
  });
});
