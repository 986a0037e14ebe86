// --interact: behave like a reader so scripts that wait for one act: scroll through the
// page, then type canary values into visible form fields without submitting (key-logging
// scripts send typed input before any submit). Canary values are invented, never real data.
import type { Locator, Page } from 'playwright-core';

export const DEFAULT_CANARIES = {
  email: 'leakwatch.canary@example.com',
  phone: '+15555550123',
  name: 'Lea Canary',
  text: 'leakwatch canary',
};

const MAX_FIELDS = 20;

function valueFor(kind: string, canaries: readonly string[]): string {
  const pick = (test: (c: string) => boolean) => canaries.find(test);
  if (kind === 'email') return pick((c) => c.includes('@')) ?? DEFAULT_CANARIES.email;
  if (kind === 'tel') return pick((c) => /^\+?[\d\s().-]{6,}$/.test(c)) ?? DEFAULT_CANARIES.phone;
  if (kind === 'name') return pick((c) => /^[\p{L} '-]+$/u.test(c)) ?? DEFAULT_CANARIES.name;
  return canaries[0] ?? DEFAULT_CANARIES.text;
}

async function fieldKind(field: Locator): Promise<string> {
  const info = await field.evaluate((el) => {
    const input = el as HTMLInputElement;
    return `${input.type ?? ''} ${input.name ?? ''} ${input.id ?? ''} ${input.autocomplete ?? ''}`;
  });
  const s = info.toLowerCase();
  if (/email/.test(s)) return 'email';
  if (/\btel\b|phone/.test(s)) return 'tel';
  if (/name/.test(s)) return 'name';
  return 'text';
}

export async function interact(page: Page, canaries: readonly string[]): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await page.mouse.wheel(0, 800).catch(() => undefined);
    await page.waitForTimeout(150);
  }
  const fields = page.locator(
    'input:visible:not([type=hidden]):not([type=password]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]):not([type=file]), textarea:visible',
  );
  const count = Math.min(await fields.count().catch(() => 0), MAX_FIELDS);
  for (let i = 0; i < count; i++) {
    const field = fields.nth(i);
    try {
      const value = valueFor(await fieldKind(field), canaries);
      await field.click({ timeout: 2_000 });
      await field.pressSequentially(value, { delay: 15, timeout: 5_000 });
      // Leaving the field fires change/blur handlers, as a user moving on would.
      await field.press('Tab', { timeout: 2_000 });
    } catch {
      // A field that cannot be typed into (covered, disabled) is skipped.
    }
  }
}

/** The values --interact may type (so the analysis can look for them in requests). */
export function interactValues(canaries: readonly string[]): string[] {
  return [...new Set(['email', 'tel', 'name', 'text'].map((k) => valueFor(k, canaries)))];
}
