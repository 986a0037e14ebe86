// Parameter names around cookie syncing (notes/detection-methods.md §2.5).

/** Consent strings are copied to every vendor on purpose: never an id, never a sync. */
const CONSENT_KEYS = new Set([
  'gdpr',
  'gdpr_consent',
  'gdpr_pd',
  'gpp',
  'gpp_sid',
  'us_privacy',
  'usprivacy',
  'euconsent',
  'euconsent-v2',
  'addtl_consent',
  'consent',
  'tcstring',
  'tc_string',
  'gcs',
  'gcd',
]);

/**
 * Click ids and cross-domain linker parameters: first-party id sharing by design (an ad
 * click carried to the advertiser's site), labelled as such rather than as cookie syncing.
 */
const CLICK_ID_KEYS = new Set([
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  '_gl',
  'fbclid',
  'ttclid',
  'msclkid',
  'twclid',
  'li_fat_id',
  'yclid',
  'epik',
  'scclid',
  'rdt_cid',
]);

/**
 * Names that sync endpoints use for "the partner's user id" (Prebid `/setuid?uid=`, Google
 * cookie matching `google_hm`/`google_gid`, Adobe `dpuuid`, Rubicon `put`, ...). A value in
 * one of these, sent from one company's frame to another, is treated as a sync at once.
 */
const SYNC_KEYS = new Set([
  'uid',
  'user_id',
  'userid',
  'puid',
  'partner_uid',
  'partner_user_id',
  'partneruserid',
  'partner_device_id',
  'buyeruid',
  'buyer_uid',
  'google_gid',
  'google_hm',
  'google_push',
  'external_user_id',
  'externaluserid',
  'dpuuid',
  'piggybackcookie',
  'put',
  'ta_partner_did',
  'p_user_id',
  'buid',
  'xuid',
  'ssp_user_id',
  'dsp_user_id',
  'match_id',
  'cm_id',
]);

/** The last segment of a dotted key, lower-cased: `ext.gdpr_consent` → `gdpr_consent`. */
function leaf(key: string): string {
  const k = key.toLowerCase();
  const dot = k.lastIndexOf('.');
  return dot === -1 ? k : k.slice(dot + 1);
}

export function isConsentKey(key: string): boolean {
  return CONSENT_KEYS.has(leaf(key));
}

export function isClickIdKey(key: string): boolean {
  return CLICK_ID_KEYS.has(leaf(key));
}

export function isSyncKey(key: string): boolean {
  return SYNC_KEYS.has(leaf(key));
}
