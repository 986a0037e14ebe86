// Pure wording helpers for the popup (and later the report page). Everything a person reads
// about a party is built here, so the phrasing is unit-tested and consistent.
import type { DataType, FindingKind } from '../../core/model.ts';

/**
 * Category ids from both tracker lists we may compile from: Ghostery TrackerDB
 * (advertising, site_analytics, ...) and third-party-web (ad, analytics, ...).
 * `label` is the chip text; `noun` fits "Known ___ tracker" (empty for catch-alls).
 */
const CATEGORIES: Record<string, { label: string; noun: string }> = {
  advertising: { label: 'Advertising', noun: 'advertising' },
  ad: { label: 'Advertising', noun: 'advertising' },
  pornvertising: { label: 'Adult advertising', noun: 'adult advertising' },
  site_analytics: { label: 'Analytics', noun: 'analytics' },
  analytics: { label: 'Analytics', noun: 'analytics' },
  social_media: { label: 'Social media', noun: 'social media' },
  social: { label: 'Social media', noun: 'social media' },
  marketing: { label: 'Marketing', noun: 'marketing' },
  customer_interaction: { label: 'Customer interaction', noun: 'customer interaction' },
  'customer-success': { label: 'Customer interaction', noun: 'customer interaction' },
  audio_video_player: { label: 'Video player', noun: 'video player' },
  video: { label: 'Video player', noun: 'video player' },
  consent: { label: 'Consent manager', noun: 'consent manager' },
  'consent-provider': { label: 'Consent manager', noun: 'consent manager' },
  'tag-manager': { label: 'Tag manager', noun: 'tag manager' },
  hosting: { label: 'Hosting', noun: 'hosting' },
  cdn: { label: 'CDN', noun: 'CDN' },
  utilities: { label: 'Utility', noun: 'utility' },
  utility: { label: 'Utility', noun: 'utility' },
  content: { label: 'Content', noun: 'content' },
  extensions: { label: 'Extension', noun: 'extension' },
  misc: { label: 'Tracker', noun: '' },
  other: { label: 'Other', noun: '' },
};

/** Human label for a category id; unknown ids are shown tidied rather than hidden. */
export function categoryLabel(category: string | null): string {
  if (category === null || category === '') return 'Uncategorized';
  const known = CATEGORIES[category];
  if (known) return known.label;
  const words = category.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export { isContentCategory } from '../../core/tracking.ts';

const KIND_LABELS: Record<FindingKind, string> = {
  'tracker-request': 'Known tracker',
  pixel: 'Pixel',
  'third-party-cookie': 'Third-party cookie',
  'identifier-cookie': 'ID cookie',
  'cookie-sharing': 'Cookie sharing',
  'id-sync': 'ID syncing',
  'page-url-leak': 'Page URL leak',
  'pii-leak': 'Personal data',
  'ecommerce-leak': 'Purchase data',
  fingerprinting: 'Fingerprinting',
  'session-recording': 'Session recording',
  'key-logging': 'Key logging',
  'storage-identifier': 'Storage ID',
  'cname-cloaking': 'Disguised host',
  'unauthorized-party': 'Not authorized',
};

export function kindLabel(kind: FindingKind): string {
  return KIND_LABELS[kind] ?? kind;
}

const DATA_TYPE_LABELS: Record<DataType, string> = {
  email: 'email',
  phone: 'phone number',
  name: 'name',
  address: 'address',
  'page-url': 'page URL',
  referrer: 'referrer',
  'search-terms': 'search terms',
  'cookie-id': 'cookie ID',
  device: 'device details',
  'order-id': 'order ID',
  'order-value': 'order value',
  currency: 'currency',
  'product-id': 'product IDs',
  'user-id': 'user ID',
};

export function dataTypeLabel(type: DataType): string {
  return DATA_TYPE_LABELS[type] ?? type;
}

/** "1 request", "3 requests". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// Bidi controls and zero-width characters let a crafted host name read as something else
// ("moc.elgoog" flipped by U+202E, "goo\u200Bgle.com"). Shown as visible code points.
// The class lists code points one by one on purpose (variation selectors included).
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF]/g;

/** Longest string we put on screen; beyond it a host or cookie name is noise or an attack. */
export const MAX_DISPLAY_CHARS = 300;

/**
 * Makes page-derived text safe to *show* (Preact already makes it safe to render): invisible
 * and direction-changing characters become `<U+202E>`, and very long strings are cut.
 */
export function visibleText(text: string, max = MAX_DISPLAY_CHARS): string {
  const shown = text.replace(
    INVISIBLE,
    (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
