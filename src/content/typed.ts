// Values the user types into identifying fields (email, phone, name), captured in the
// isolated world (the page cannot see or patch these listeners). They are kept in memory
// for the relay's own body checks and handed to the background for the leak detectors,
// which hold them in memory only; nothing here is stored. Password fields are never read.
import type { TypedValue } from '../core/pageworld/events.ts';
import type { TypedField } from '../core/pageworld/payload.ts';
import { LIMITS } from '../core/pageworld/events.ts';

const MIN_LENGTH = 4;
const MAX_FIELDS = 20;

function kindOf(el: HTMLInputElement | HTMLTextAreaElement): TypedValue['kind'] | null {
  if (el instanceof HTMLInputElement) {
    const type = el.type.toLowerCase();
    if (type === 'password' || type === 'hidden') return null;
    if (type === 'email') return 'email';
    if (type === 'tel') return 'phone';
  }
  const ac = (el.getAttribute('autocomplete') ?? '').toLowerCase();
  const hint = `${ac} ${el.name} ${el.id}`.toLowerCase();
  if (/\bemail\b|e-?mail/.test(hint)) return 'email';
  if (/\btel\b|phone|mobile/.test(hint)) return 'phone';
  if (
    /\b(?:name|given-name|family-name|fname|lname|first_?name|last_?name|full_?name)\b/.test(hint)
  ) {
    return 'name';
  }
  return null;
}

export interface TypedCapture {
  /** Current values for the relay's body checks. */
  fields(): readonly TypedField[];
  /** Values changed since the last call (for the background). */
  takeChanged(): TypedValue[];
  submitted(): boolean;
}

export function captureTyped(doc: Document, onChange: () => void): TypedCapture {
  const values = new Map<Element, TypedValue>();
  let changed = new Map<Element, TypedValue>();
  let submitted = false;

  const onInput = (event: Event) => {
    if (!event.isTrusted) return; // the page can dispatch input events; only the user types
    const el = event.target;
    if (!(el instanceof HTMLInputElement) && !(el instanceof HTMLTextAreaElement)) return;
    const kind = kindOf(el);
    if (!kind) return;
    const value = el.value.trim().slice(0, LIMITS.typedChars);
    if (value.length < MIN_LENGTH) return;
    if (!values.has(el) && values.size >= MAX_FIELDS) return;
    if (values.get(el)?.value === value) return;
    const v = { kind, value };
    values.set(el, v);
    changed.set(el, v);
    onChange();
  };

  doc.addEventListener('input', onInput, true);
  doc.addEventListener('change', onInput, true);
  doc.addEventListener('submit', () => (submitted = true), true);

  return {
    fields: () => [...values.values()].map((v) => ({ field: v.kind, value: v.value })),
    takeChanged() {
      const out = [...changed.values()].slice(0, LIMITS.typedPerBatch);
      changed = new Map();
      return out;
    },
    submitted: () => submitted,
  };
}
