// ecommerce-leak: order id, order value, currency and product ids in a third party's pixel,
// read from the table of real parameter names per vendor in src/data/ecommerce-params.ts
// plus generic names. An order value or currency counts only on a purchase-type event or
// next to an order id: on a product page the same fields hold a price, not spending (§7).
import type { DataType, Finding, RequestRecord } from '../model.ts';
import type { RequestContext, RequestDetector } from './types.ts';
import { describeParty, firstTimeOnPage, makeFinding } from './finding.ts';
import { requestTokens, urlParamTokens, type Token } from '../leaks/extract.ts';
import { requestGlance } from '../leaks/glance.ts';
import { maskId } from '../leaks/mask.ts';
import { isOtherParty, storableUrl } from '../leaks/common.ts';
import { keyShapes } from '../leaks/key-shapes.ts';
import {
  ECOMMERCE_VENDORS,
  GENERIC_ECOMMERCE,
  PURCHASE_EVENTS,
  type EcommerceVendor,
} from '../../data/ecommerce-params.ts';

const ID = 'ecommerce-leak';

/** `cd[contents].0.id` → `cd[contents].id`; `pr3id` → `pr#id`; `p2.id` → `p#.id`. */
export function normalizeKey(key: string): string {
  // Parameter names repeat from request to request: short ones are remembered (hashing a
  // long key for the memo would cost more than normalizing it; a hostile page's endless
  // new names only reset the memo).
  if (key.length > MAX_MEMO_KEY) return normalizeUncached(key);
  let k = normalized.get(key);
  if (k === undefined) {
    k = normalizeUncached(key);
    if (normalized.size >= MAX_NORMALIZED) normalized.clear();
    normalized.set(key, k);
  }
  return k;
}
function normalizeUncached(key: string): string {
  return key
    .toLowerCase()
    .replace(/\.\d+(?=\.|$)/g, '')
    .replace(/^pr\d+/, 'pr#')
    .replace(/^p\d+\./, 'p#.');
}
const normalized = new Map<string, string>();
const MAX_NORMALIZED = 8_192;
const MAX_MEMO_KEY = 64;

type Lists = Pick<EcommerceVendor, 'eventKeys' | 'orderId' | 'value' | 'currency' | 'productId'>;

/** Every key of a vendor's lists: a token under any other key is skipped by collect. */
const keysOfLists = new WeakMap<Lists, ReadonlySet<string>>();
function allKeys(lists: Lists): ReadonlySet<string> {
  let keys = keysOfLists.get(lists);
  if (!keys) {
    keys = new Set([
      ...lists.eventKeys,
      ...lists.orderId,
      ...lists.value,
      ...lists.currency,
      ...lists.productId,
    ]);
    keysOfLists.set(lists, keys);
  }
  return keys;
}

function vendorOf(host: string, path: string): EcommerceVendor | null {
  for (const v of ECOMMERCE_VENDORS) {
    for (const e of v.endpoints) {
      const hostOk = !e.host || host === e.host || host.endsWith(`.${e.host}`);
      if (hostOk && (!e.path || e.path.test(path))) return v;
    }
  }
  return null;
}

/** GA4 items: `pr1=id123~nmShirt~pr9.99`, two-letter field names; `id` is the item id. */
function ga4ItemId(value: string): string | null {
  for (const field of value.split('~'))
    if (field.startsWith('id') && field.length > 2) return field.slice(2);
  return null;
}

interface Fields {
  /** Every event-name value seen (UET has both `evt` and `ea`). */
  events: string[];
  orderId: Token | null;
  value: Token | null;
  currency: Token | null;
  products: string[];
  /** The token of the first product id. */
  product: Token | null;
  keys: Set<string>;
}

function collect(tokens: readonly Token[], lists: Lists): Fields {
  const known = allKeys(lists);
  const f: Fields = {
    events: [],
    orderId: null,
    value: null,
    currency: null,
    products: [],
    product: null,
    keys: new Set(),
  };
  let lastKey: string | null = null;
  let k = '';
  for (const t of tokens) {
    if (t.part || (t.location !== 'query' && t.location !== 'body' && t.location !== 'fragment'))
      continue;
    if (t.key !== lastKey) {
      lastKey = t.key;
      k = normalizeKey(t.key);
    }
    // A key in none of the lists ends in `else continue` below: skip the value's trim.
    if (!known.has(k)) continue;
    const v = t.value.trim();
    if (v.length === 0 || v.length > 512) continue;
    if (lists.eventKeys.includes(k)) f.events.push(v);
    else if (f.orderId === null && lists.orderId.includes(k)) f.orderId = t;
    else if (f.value === null && lists.value.includes(k) && /^-?\d+(?:[.,]\d+)?$/.test(v))
      f.value = t;
    else if (f.currency === null && lists.currency.includes(k) && /^[A-Za-z]{3}$/.test(v))
      f.currency = t;
    else if (lists.productId.includes(k) && f.products.length < 50) {
      // A JSON array value (cd[content_ids]) is read through its flattened items instead.
      const id = k === 'pr#' ? ga4ItemId(v) : v.startsWith('[') ? null : v;
      if (!id) continue;
      if (!f.products.includes(id)) f.products.push(id);
      f.product ??= t;
    } else continue;
    f.keys.add(t.key);
  }
  return f;
}

/**
 * Every key of every vendor's lists and of the generic ones that can carry what a finding
 * reports: an order id, a value, a currency or a product id. An event name only qualifies
 * those (a purchase makes a value an order's), so a request with event keys alone (GA4's
 * `en`, Meta's `ev`: one glanced request in ten) has nothing to report.
 */
const DATA_KEY: ReadonlySet<string> = new Set(
  [...ECOMMERCE_VENDORS, GENERIC_ECOMMERCE].flatMap((lists) => [
    ...lists.orderId,
    ...lists.value,
    ...lists.currency,
    ...lists.productId,
  ]),
);

const DATA_KEY_SHAPES = keyShapes(DATA_KEY);

/**
 * DATA_KEY.has(normalizeKey(key)). A name without digits normalizes to its lower case
 * alone, so most are ruled out by their shape (key-shapes.ts) with no lookup at all.
 */
function isDataKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    // Digits are cut by normalizeKey (`pr1id` → `pr#id`); non-ASCII may lower-case longer.
    if ((c >= 0x30 && c <= 0x39) || c >= 0x80) return DATA_KEY.has(normalizeKey(key));
  }
  return DATA_KEY_SHAPES.mayBe(key) && DATA_KEY.has(key.toLowerCase());
}

export const ecommerceLeak: RequestDetector = {
  id: ID,
  kinds: ['ecommerce-leak'],

  detectRequest(req: RequestRecord, ctx: RequestContext): Finding[] {
    if (!isOtherParty(ctx.party)) return [];
    // Only fields under the lists' keys count, and a glanced request's fields are under its
    // parameter names: none of them a data key of any vendor, nothing to report, no tokens.
    const glance = requestGlance(req, ctx);
    if (glance !== null && !glance.keys.some(isDataKey)) return [];
    const vendor = vendorOf(ctx.url.host, ctx.url.pathname);
    const lists = vendor ?? GENERIC_ECOMMERCE;
    // Only whole values are collected: a glanced request's are its parameters as they are.
    const tokens =
      (glance !== null && ctx.extraction === undefined ? urlParamTokens(ctx.url) : null) ??
      requestTokens(req, ctx).tokens;
    const f = collect(tokens, lists);
    // X sends events as [["purchase", {...}]]: the event name is the first array item.
    const events = f.events.map((e) => e.replace(/^\[\["?|"$/g, '').toLowerCase());
    const purchase =
      (vendor?.alwaysPurchase ?? false) || events.some((e) => PURCHASE_EVENTS.has(e));
    const event = events.find((e) => PURCHASE_EVENTS.has(e)) ?? events[0] ?? '';
    const orderId = f.orderId && (!vendor?.orderIdNeedsPurchase || purchase) ? f.orderId : null;
    const order = purchase || orderId !== null;
    // A bare generic `value` means nothing without a currency next to it.
    const value = order && f.value && (vendor || f.currency) ? f.value : null;
    const currency = order ? f.currency : null;
    const types: DataType[] = [];
    if (orderId) types.push('order-id');
    if (value) types.push('order-value');
    if (currency) types.push('currency');
    if (f.products.length > 0) types.push('product-id');
    if (types.length === 0) return [];
    const once = `${ctx.party.domain}|${orderId?.value ?? ''}|${types.join(',')}|${f.products.join(',')}`;
    if (!firstTimeOnPage(ctx.state.scratch, ID, once)) return [];

    const parts: string[] = [];
    if (orderId) parts.push(`order ${maskId(orderId.value)}`);
    if (value) parts.push(`${value.value}${currency ? ` ${currency.value.toUpperCase()}` : ''}`);
    if (f.products.length > 0)
      parts.push(`${f.products.length} product id${f.products.length > 1 ? 's' : ''}`);
    const what = types.map((t) => t.replace('-', ' ')).join(', ');
    const keys = [...f.keys].slice(0, 8);
    return [
      makeFinding({
        kind: 'ecommerce-leak',
        page: ctx.page,
        party: ctx.party,
        requestUrl: storableUrl(req.url),
        dataTypes: types,
        encoding: 'plain',
        time: req.time,
        explanation:
          `${describeParty(ctx.party)} received shopping data (${what})` +
          `${vendor ? ` through its ${vendor.name}` : ''}${event ? ` with the event "${event}"` : ''}` +
          `, in ${keys.map((k) => `"${k}"`).join(', ')}${order ? ': it learns what was bought and for how much.' : ': it learns which products were looked at.'}`,
        evidence: {
          rule: `ecommerce:${vendor?.id ?? 'generic'}`,
          location: (orderId ?? value ?? f.currency ?? f.product)?.location,
          key: keys.join(','),
          preview: parts.join(', '),
          details: {
            vendor: vendor?.id ?? 'generic',
            event,
            purchase,
            products: f.products.length,
          },
        },
      }),
    ];
  },
};
