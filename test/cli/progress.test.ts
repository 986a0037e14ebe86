import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 60, write: (c: string) => chunks.push(c) } };
};

describe('progress', () => {
  it('prints one plain line per page when not a terminal, without control characters', () => {
    const { chunks, stream } = sink(false);
    const p = createProgress(stream, 2);
    p.start('https://a.test/');
    p.done('https://a.test/', null);
    p.done('https://b.test/\u001b[2J', 'net::ERR_FAILED\nsecond line');
    p.end();
    expect(chunks).toEqual([
      'leakwatch: [1/2] https://a.test/ ok\n',
      'leakwatch: [2/2] https://b.test/?[2J failed: net::ERR_FAILED?second line\n',
    ]);
  });

  it('shows a URL that may carry an email as the report stores it, in errors too', () => {
    const { chunks, stream } = sink(false);
    const p = createProgress(stream, 2);
    const url = 'https://shop.test/checkout?email=jane.doe%40example.com&step=2';
    p.start(url);
    p.done(url, null);
    p.done(url, `page.goto: net::ERR_NAME_NOT_RESOLVED at ${url}`);
    expect(chunks.join('')).not.toMatch(/jane|example\.com/);
    expect(chunks).toEqual([
      'leakwatch: [1/2] https://shop.test/checkout?email=…&step=… ok\n',
      'leakwatch: [2/2] https://shop.test/checkout?email=…&step=… failed: page.goto: net::ERR_NAME_NOT_RESOLVED at https://shop.test/checkout?email=…&step=…\n',
    ]);
  });

  it('shows no bidi override or invisible character from a URL', () => {
    const { chunks, stream } = sink(false);
    const p = createProgress(stream, 1);
    p.done('https://a.test/\u202egnp.exe\u200b', 'at \u2066x\u2069');
    expect(chunks).toEqual(['leakwatch: [1/1] https://a.test/?gnp.exe? failed: at ?x?\n']);
  });

  it('redraws a bar on a terminal and clears it at the end', () => {
    const { chunks, stream } = sink(true);
    const p = createProgress(stream, 4);
    p.start('https://a.test/');
    p.done('https://a.test/', null);
    p.end();
    expect(chunks.at(-2)).toBe(`\r\u001b[K[${'#'.repeat(6)}${'.'.repeat(18)}] 1/4 https://a.test/`);
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });
});
