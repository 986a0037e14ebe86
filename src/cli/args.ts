// Command-line parsing for `leakwatch` / `npm run audit`. Hand-written rather than
// util.parseArgs so every mistake gets one short, specific line ("--wait expects a number
// of milliseconds, got 'soon'") and repeatable options stay simple. Pure: no file access.
import { FINDING_KINDS, type FindingKind } from '../core/model.ts';
import { oneLine } from '../core/one-line.ts';

export const FORMATS = ['json', 'csv', 'html', 'har'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliOptions {
  out: string;
  formats: Format[];
  /** Chromium host resolver rules, already in "MAP pattern ip[:port]" form. */
  hostRules: string[];
  insecure: boolean;
  waitMs: number;
  interact: boolean;
  canaries: string[];
  authorizedFile: string | null;
  baselineFile: string | null;
  failOn: FindingKind[];
  /** Pages per start URL, following same-site links breadth-first (1: only the URL). */
  pages: number;
  urlsFile: string | null;
  sitemap: string | null;
  concurrency: number;
  chromium: string | null;
  harFile: string | null;
  urls: string[];
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

type Kind = 'flag' | 'value' | 'list';
const OPTIONS: Record<string, Kind> = {
  out: 'value',
  format: 'value',
  resolve: 'list',
  insecure: 'flag',
  wait: 'value',
  interact: 'flag',
  canary: 'list',
  authorized: 'value',
  baseline: 'value',
  'fail-on': 'value',
  pages: 'value',
  urls: 'value',
  sitemap: 'value',
  concurrency: 'value',
  chromium: 'value',
  har: 'value',
  help: 'flag',
  version: 'flag',
};
const SHORT: Record<string, string> = { h: 'help', V: 'version', o: 'out' };

/** Keeps hostile or huge input out of the one-line message (JSON.stringify leaves bidi controls). */
const show = (s: string): string =>
  oneLine(JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s));

export function parseHttpUrl(raw: string, what: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a valid URL: ${show(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`${what} must be an http(s) URL: ${show(raw)}`);
  }
  return u.href;
}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(
      `--${name} expects a whole number from ${min} to ${max}, got ${show(raw)}`,
    );
  }
  return Number(raw);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOST_PATTERN = /^(\*|\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$|^\*$/i;

/** "*.test=127.0.0.1:8443" → "MAP *.test 127.0.0.1:8443" (Chromium --host-resolver-rules). */
export function resolveRule(raw: string): string {
  const eq = raw.indexOf('=');
  const pattern = eq < 0 ? '' : raw.slice(0, eq).trim();
  const target = eq < 0 ? '' : raw.slice(eq + 1).trim();
  const bad = (why: string) =>
    new UsageError(`--resolve expects PATTERN=IP[:PORT] (${why}), got ${show(raw)}`);
  if (!pattern || !target) throw bad('missing "="');
  if (!HOST_PATTERN.test(pattern)) throw bad('bad host pattern');
  // Chromium's own "resolve nothing" target: `--resolve '*=~NOTFOUND'` keeps a run offline.
  if (target === '~NOTFOUND') return `MAP ${pattern} ~NOTFOUND`;
  const m = /^(\[[0-9a-f:.]+\]|[0-9.]+)(?::(\d{1,5}))?$/i.exec(target);
  const ip = m?.[1];
  if (!ip || (!ip.startsWith('[') && !IPV4.test(ip))) throw bad('bad IP address');
  const port = m?.[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw bad('bad port');
  return `MAP ${pattern} ${target}`;
}

function formats(raw: string): Format[] {
  const parts = raw.split(',').map((s) => s.trim().toLowerCase());
  const out: Format[] = [];
  for (const p of parts) {
    if (!(FORMATS as readonly string[]).includes(p)) {
      throw new UsageError(`--format: unknown format ${show(p)} (use ${FORMATS.join(', ')})`);
    }
    if (!out.includes(p as Format)) out.push(p as Format);
  }
  return out;
}

function kinds(raw: string): FindingKind[] {
  return raw.split(',').map((s) => {
    const k = s.trim();
    if (!(FINDING_KINDS as readonly string[]).includes(k)) {
      throw new UsageError(`--fail-on: unknown finding kind ${show(k)}`);
    }
    return k as FindingKind;
  });
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {
    out: 'leakwatch-report',
    formats: ['json', 'html'],
    hostRules: [],
    insecure: false,
    waitMs: 2000,
    interact: false,
    canaries: [],
    authorizedFile: null,
    baselineFile: null,
    failOn: [],
    pages: 1,
    urlsFile: null,
    sitemap: null,
    concurrency: 1,
    chromium: null,
    harFile: null,
    urls: [],
    help: false,
    version: false,
  };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) opts.urls.push(parseHttpUrl(rest, 'URL'));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      opts.urls.push(parseHttpUrl(arg, 'URL'));
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const name = arg.startsWith('--') ? rawName : SHORT[rawName];
    const kind = name === undefined ? undefined : OPTIONS[name];
    if (name === undefined || kind === undefined) {
      throw new UsageError(`unknown option ${show(arg.split('=')[0] ?? arg)} (see --help)`);
    }
    let value: string | undefined;
    if (kind === 'flag') {
      if (eq >= 0 && arg.startsWith('--')) throw new UsageError(`--${name} takes no value`);
    } else {
      value = eq >= 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    if (kind === 'value' && seen.has(name)) throw new UsageError(`--${name} given twice`);
    seen.add(name);
    apply(opts, name, value ?? '');
  }
  return opts;
}

function apply(opts: CliOptions, name: string, value: string): void {
  const nonEmpty = (): string => {
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
    return value;
  };
  switch (name) {
    case 'out':
      opts.out = nonEmpty();
      break;
    case 'format':
      opts.formats = formats(value);
      break;
    case 'resolve':
      opts.hostRules.push(resolveRule(value));
      break;
    case 'insecure':
      opts.insecure = true;
      break;
    case 'wait':
      opts.waitMs = integer(name, value, 0, 600_000);
      break;
    case 'interact':
      opts.interact = true;
      break;
    case 'canary':
      opts.canaries.push(nonEmpty());
      break;
    case 'authorized':
      opts.authorizedFile = nonEmpty();
      break;
    case 'baseline':
      opts.baselineFile = nonEmpty();
      break;
    case 'fail-on':
      opts.failOn = kinds(value);
      break;
    case 'pages':
      opts.pages = integer(name, value, 1, 10_000);
      break;
    case 'urls':
      opts.urlsFile = nonEmpty();
      break;
    case 'sitemap':
      opts.sitemap = parseHttpUrl(value, '--sitemap');
      break;
    case 'concurrency':
      opts.concurrency = integer(name, value, 1, 16);
      break;
    case 'chromium':
      opts.chromium = nonEmpty();
      break;
    case 'har':
      opts.harFile = nonEmpty();
      break;
    case 'help':
      opts.help = true;
      break;
    case 'version':
      opts.version = true;
      break;
  }
}

/** Cross-option rules, checked after parsing so the message can name both options. */
export function checkCombination(opts: CliOptions): void {
  if (opts.help || opts.version) return;
  if (opts.harFile !== null) {
    if (opts.urls.length > 0 || opts.urlsFile !== null || opts.sitemap !== null) {
      throw new UsageError(
        '--har analyses a file offline: give no URLs, --urls or --sitemap with it',
      );
    }
    return;
  }
  if (opts.urls.length === 0 && opts.urlsFile === null && opts.sitemap === null) {
    throw new UsageError(
      'no URL to audit (give URLs, --urls FILE, --sitemap URL or --har FILE; see --help)',
    );
  }
}
