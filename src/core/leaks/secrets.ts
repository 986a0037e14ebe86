// Secrets the analysis should look for: canaries the user registers (own email, phone, the
// CLI's --canary) and values typed into forms on a page (captured by the content script).
// Values live in memory only, as precomputed variants; findings carry masked previews.
import { maskEmail, maskName, maskPhone } from './mask.ts';
import { VariantIndex } from './match.ts';
import { buildVariants, normalizeEmail, phoneForms, typedPrefixes, type Seed } from './variants.ts';

export type SecretKind = 'email' | 'phone' | 'name';
/** 'global' for canaries; a page id for values typed on that page. */
export type SecretScope = 'global' | { pageId: string };

export interface SecretOptions {
  /** The value was typed into a form: also match it minus its last 1-2 characters. */
  typed?: boolean;
}

export interface Secret {
  readonly id: number;
  readonly kind: SecretKind;
  readonly origin: 'canary' | 'typed';
  /** Masked form for findings; the raw value is not kept on this object. */
  readonly preview: string;
}

/** Shorter values match by accident (names: 'anna' is also a word; §4 pitfalls). */
const MIN_LENGTH: Record<SecretKind, number> = { email: 6, phone: 6, name: 4 };
/** The `known` key prefix of global secrets (page ids never are '*'). */
const GLOBAL_KEY = '*';

/** Whether `value` can be registered as a secret of `kind` (long enough to match safely). */
export function isUsableSecret(kind: SecretKind, value: string): boolean {
  const raw = value.trim();
  if (raw.length < MIN_LENGTH[kind]) return false;
  return kind !== 'phone' || phoneForms(raw).length > 0;
}

function seedsFor(kind: SecretKind, value: string, typed: boolean): Seed[] {
  const raw = value.trim();
  const seeds: Seed[] = [];
  if (kind === 'email') {
    const n = normalizeEmail(raw);
    seeds.push({ value: n, form: 'normalized' });
    if (raw !== n) seeds.push({ value: raw, form: 'raw' });
    if (typed)
      for (const p of typedPrefixes(n)) seeds.push({ value: p, form: 'typing', prefix: true });
  } else if (kind === 'phone') {
    for (const f of phoneForms(raw)) seeds.push({ value: f, form: 'digits' });
    if (!seeds.some((s) => s.value === raw)) seeds.push({ value: raw, form: 'raw' });
  } else {
    const n = raw.toLowerCase();
    seeds.push({ value: n, form: 'normalized' });
    if (raw !== n) seeds.push({ value: raw, form: 'raw' });
  }
  return seeds;
}

function previewOf(kind: SecretKind, value: string): string {
  if (kind === 'email') return maskEmail(value);
  if (kind === 'phone') return maskPhone(value);
  return maskName(value);
}

export class SecretRegistry {
  private global = new VariantIndex<Secret>();
  private readonly pages = new Map<string, VariantIndex<Secret>>();
  private readonly known = new Map<string, Secret>();
  private nextId = 1;
  private changes = 0;

  /** Registers a value; returns null when it is too short to match safely. Idempotent. */
  register(
    kind: SecretKind,
    value: string,
    scope: SecretScope = 'global',
    opts: SecretOptions = {},
  ): Secret | null {
    const raw = value.trim();
    if (!isUsableSecret(kind, raw)) return null;
    const scopeKey = scope === 'global' ? GLOBAL_KEY : scope.pageId;
    const dedupe = `${scopeKey}\u0000${kind}\u0000${raw.toLowerCase()}`;
    const existing = this.known.get(dedupe);
    if (existing) return existing;
    const typed = opts.typed ?? false;
    const secret: Secret = {
      id: this.nextId++,
      kind,
      origin: typed ? 'typed' : 'canary',
      preview: previewOf(kind, raw),
    };
    const variants = buildVariants(seedsFor(kind, raw, typed), { hashes: true });
    let index = this.global;
    if (scope !== 'global') {
      index = this.pages.get(scope.pageId) ?? new VariantIndex<Secret>();
      this.pages.set(scope.pageId, index);
    }
    index.add(secret, variants);
    this.known.set(dedupe, secret);
    this.changes++;
    return secret;
  }

  /** Moves on every change, so that a cached answer about the secrets can tell it is old. */
  get generation(): number {
    return this.changes;
  }

  /** The indexes to search for a request on `pageId`: global canaries, then typed values. */
  indexesFor(pageId: string): VariantIndex<Secret>[] {
    const page = this.pages.get(pageId);
    return page ? [this.global, page] : [this.global];
  }

  /** Forgets a page's typed values (call when the visit ends). */
  clearPage(pageId: string): void {
    this.changes++;
    this.pages.delete(pageId);
    for (const key of [...this.known.keys()])
      if (key.startsWith(`${pageId}\u0000`)) this.known.delete(key);
  }

  /**
   * Forgets the global canaries (the user removed or replaced them on the report page);
   * values typed on pages stay. Register the remaining canaries again afterwards.
   */
  clearGlobal(): void {
    this.changes++;
    this.global = new VariantIndex<Secret>();
    for (const key of [...this.known.keys()])
      if (key.startsWith(`${GLOBAL_KEY}\u0000`)) this.known.delete(key);
  }

  /** Forgets everything (options page cleared its canaries). */
  clear(): void {
    this.changes++;
    this.global = new VariantIndex<Secret>();
    this.pages.clear();
    this.known.clear();
  }
}

/** The registry the analyzer's pii-leak detector reads. */
export const defaultSecrets = new SecretRegistry();

/**
 * Registers a secret for pii-leak matching: `scope` 'global' for canaries (options page,
 * CLI --canary), `{ pageId }` for values typed on one page (pass `{ typed: true }`).
 */
export function registerSecret(
  kind: SecretKind,
  value: string,
  scope: SecretScope = 'global',
  opts: SecretOptions = {},
): Secret | null {
  return defaultSecrets.register(kind, value, scope, opts);
}

/** What kind of personal value a free-form canary is: an email, a phone number, or a name. */
export function canaryKind(value: string): SecretKind {
  const v = value.trim();
  if (v.includes('@')) return 'email';
  const digits = v.replace(/\D/g, '').length;
  // Phones are digits with a few separators: '+1 (555) 555-0123'.
  if (digits >= 7 && /^[+\d\s().-]+$/.test(v)) return 'phone';
  return 'name';
}

/** Registers canaries (global, memory only); returns how many were long enough to match. */
export function registerCanaries(values: readonly string[]): number {
  let n = 0;
  for (const value of values) if (registerSecret(canaryKind(value), value, 'global')) n++;
  return n;
}

/** A canary as the report page sees it: its kind and a masked preview, never the value. */
export interface CanaryPreview {
  kind: SecretKind;
  preview: string;
}

export function canaryPreview(value: string): CanaryPreview {
  const kind = canaryKind(value);
  return { kind, preview: previewOf(kind, value.trim()) };
}

/** Whether a free-form canary is long enough to be registered. */
export function isUsableCanary(value: string): boolean {
  return isUsableSecret(canaryKind(value), value);
}

/** Replaces every global canary with `values` (typed values stay); returns how many match. */
export function replaceCanaries(values: readonly string[], registry = defaultSecrets): number {
  registry.clearGlobal();
  let n = 0;
  for (const value of values) if (registry.register(canaryKind(value), value, 'global')) n++;
  return n;
}
