// Pause recording (meta `paused`, set from the report page): the privacy filter drops every
// tab and cookie event while paused, private windows included, and lets them through again.
import { describe, expect, it } from 'vitest';
import { createPrivacyFilter } from '../../../src/background/privacy.ts';

describe('pause recording', () => {
  it('drops every event while paused and applies a change at once', async () => {
    let paused = true;
    const filter = createPrivacyFilter({
      recordPrivate: () => true,
      paused: () => paused,
      isIncognitoTab: async () => false,
      cookieStores: async () => [],
    });
    expect(await filter.allowTabEvent(1, false)).toBe(false);
    expect(await filter.allowTabEvent(-1, null)).toBe(false);
    expect(await filter.allowCookieStore(null)).toBe(false);
    paused = false;
    expect(await filter.allowTabEvent(1, false)).toBe(true);
    expect(await filter.allowCookieStore('0')).toBe(true);
  });
});
