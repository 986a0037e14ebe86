// E-commerce parameters of ad and analytics pixels: where each vendor puts the order id,
// order value, currency and product ids, and the event name that says "this was a purchase".
//
// Sources (see notes/detection-methods.md §7 for the full table and the certainty of each):
// - MisterPhilip/omnibug `src/providers/*.js` (FacebookPixel, GoogleAds, GoogleAnalytics4,
//   GoogleAnalytics, TikTok, Pinterest, Snapchat, Twitter, BingAds, RedditPixel, LinkedIn,
//   CriteoOneTag), read for parameter names only.
// - the-markup/blacklight-collector `src/helpers/statics.ts` (Meta, TikTok, X).
// - Google Measurement Protocol reference (UA `ti`/`tr`/`cu`/`prNid`, GA4 `pr1`..`prN`).
// - Names marked "wild" in the notes (Meta `cd[order_id]`, Google Ads `oid`) come from public
//   tag samples rather than vendor documentation.
//
// Keys are written normalized: lower case, array indexes removed (`cd[contents].0.id` →
// `cd[contents].id`), numbered product slots as `#` (`pr3id` → `pr#id`, Criteo `p2.id` →
// `p#.id`). `pr#` values in GA4 are `~`-packed item fields and are parsed as such.

export interface EcommerceVendor {
  id: string;
  name: string;
  /** Host suffix and optional path pattern of the collection endpoint. */
  endpoints: { host?: string; path?: RegExp }[];
  eventKeys: string[];
  orderId: string[];
  value: string[];
  currency: string[];
  productId: string[];
  /** Every hit is a conversion (Google Ads conversion pixels). */
  alwaysPurchase?: boolean;
  /** The order-id slot also carries product ids on other events (Criteo `p#.id`). */
  orderIdNeedsPurchase?: boolean;
}

/** Event names that mean an order was placed (purchase-type events, §7 pitfalls). */
export const PURCHASE_EVENTS = new Set([
  'purchase',
  'checkout', // Pinterest's purchase event
  'completepayment', // TikTok
  'complete_payment',
  'placeanorder', // TikTok
  'place_order',
  'order_completed',
  'ordercompleted',
  'transaction',
  'trans', // Criteo OneTag trackTransaction
]);

export const ECOMMERCE_VENDORS: readonly EcommerceVendor[] = [
  {
    id: 'meta',
    name: 'Meta Pixel',
    endpoints: [{ host: 'facebook.com', path: /^\/tr\/?$/ }],
    eventKeys: ['ev'],
    orderId: ['cd[order_id]'],
    value: ['cd[value]'],
    currency: ['cd[currency]'],
    productId: ['cd[content_ids]', 'cd[contents].id'],
  },
  {
    id: 'google-ads',
    name: 'Google Ads conversion',
    endpoints: [
      { path: /^\/pagead\/(?:1p-)?(?:viewthrough)?conversion\// },
      { host: 'googleadservices.com', path: /^\/pagead\/conversion/ },
    ],
    eventKeys: [],
    orderId: ['oid', 'transaction_id'],
    value: ['value'],
    currency: ['currency_code'],
    productId: [],
    alwaysPurchase: true,
  },
  {
    id: 'ga4',
    name: 'Google Analytics 4',
    endpoints: [{ path: /\/g\/collect$/ }],
    eventKeys: ['en'],
    orderId: ['ep.transaction_id'],
    value: ['epn.value', 'ep.value'],
    currency: ['cu'],
    productId: ['pr#'],
  },
  {
    id: 'universal-analytics',
    name: 'Universal Analytics',
    endpoints: [{ host: 'google-analytics.com', path: /^\/(?:r\/|j\/)?collect$/ }],
    eventKeys: ['pa'],
    orderId: ['ti'],
    value: ['tr'],
    currency: ['cu'],
    productId: ['pr#id'],
  },
  {
    id: 'tiktok',
    name: 'TikTok Pixel',
    endpoints: [{ host: 'analytics.tiktok.com', path: /^\/api\/v\d\/(?:track|pixel)/ }],
    eventKeys: ['event'],
    orderId: ['properties.order_id'],
    value: ['properties.value'],
    currency: ['properties.currency'],
    productId: ['properties.content_id', 'properties.contents.content_id'],
  },
  {
    id: 'pinterest',
    name: 'Pinterest Tag',
    endpoints: [{ host: 'ct.pinterest.com' }],
    eventKeys: ['event'],
    orderId: ['ed[order_id]'],
    value: ['ed[value]'],
    currency: ['ed[currency]'],
    productId: ['ed[line_items].product_id'],
  },
  {
    id: 'snap',
    name: 'Snap Pixel',
    endpoints: [{ host: 'tr.snapchat.com', path: /^\/p/ }],
    eventKeys: ['ev'],
    orderId: ['e_tid'],
    value: ['e_pr'],
    currency: ['e_cur'],
    productId: ['e_iids'],
  },
  {
    id: 'x',
    name: 'X (Twitter) pixel',
    endpoints: [{ path: /^\/i\/adsct/ }],
    eventKeys: ['events'],
    orderId: ['tw_order_id'],
    value: ['tw_sale_amount', 'events.value'],
    currency: ['events.currency'],
    productId: ['events.contents.content_id'],
  },
  {
    id: 'bing',
    name: 'Microsoft UET',
    endpoints: [{ host: 'bat.bing.com', path: /^\/action/ }],
    eventKeys: ['evt', 'ea'],
    orderId: [],
    value: ['gv'],
    currency: ['gc'],
    productId: ['prodid'],
  },
  {
    id: 'reddit',
    name: 'Reddit Pixel',
    endpoints: [{ host: 'reddit.com', path: /^\/rp\.gif/ }],
    eventKeys: ['event', 'm.customeventname'],
    orderId: ['m.conversionid'],
    value: ['m.value', 'm.valuedecimal'],
    currency: ['m.currency'],
    productId: ['m.products.id'],
  },
  {
    id: 'linkedin',
    name: 'LinkedIn Insight',
    endpoints: [{ host: 'px.ads.linkedin.com', path: /^\/collect/ }],
    eventKeys: [],
    orderId: [],
    value: ['value'],
    currency: ['currency'],
    productId: [],
  },
  {
    id: 'criteo',
    name: 'Criteo OneTag',
    endpoints: [{ host: 'criteo.com', path: /^\/event/ }],
    eventKeys: ['p#.e'],
    orderId: ['p#.id'],
    orderIdNeedsPurchase: true,
    value: [],
    currency: [],
    productId: ['p#.item.i', 'p#.p'],
  },
];

/** Names any pixel may use (order pages of smaller vendors, custom tags). */
export const GENERIC_ECOMMERCE: Pick<
  EcommerceVendor,
  'orderId' | 'value' | 'currency' | 'productId' | 'eventKeys'
> = {
  eventKeys: ['event', 'event_name', 'eventname', 'ev', 'en'],
  orderId: [
    'order_id',
    'orderid',
    'order_number',
    'ordernumber',
    'transaction_id',
    'transactionid',
  ],
  value: ['revenue', 'order_value', 'ordervalue', 'order_total', 'ordertotal', 'value'],
  currency: ['currency', 'currency_code', 'currencycode'],
  productId: ['product_id', 'productid', 'product_ids', 'sku', 'skus', 'item_id', 'content_ids'],
};
