// Behaviour that key loggers and session recorders show: keyboard, input and mouse listeners
// (on fields or the whole document), a MutationObserver over the whole document, and reads
// of identifying field values (email, phone, name, password).
import { allow } from './budget.ts';
import { emit } from './emit.ts';
import { captureStack, doc, getterOf, lower, ownData, read, win } from './intrinsics.ts';
import { hookAccessor, hookMethod } from './wrap.ts';

const g = globalThis as unknown as { [name: string]: { prototype?: object } | undefined };
const proto = (name: string): object | undefined => g[name]?.prototype;

const nodeNameOf = getterOf(proto('Node'), 'nodeName');

const KEY_TYPES = ['keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'change'];
const MOUSE_TYPES = ['mousemove', 'pointermove', 'mousedown', 'click', 'scroll', 'touchmove'];

function includes(list: readonly string[], v: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === v) return true;
  return false;
}

/** The words the detectors use for a listener's target. */
export function targetKind(t: unknown): string {
  if (t === win) return 'window';
  if (t === doc) return 'document';
  const name = read(nodeNameOf, t);
  switch (name) {
    case 'HTML':
    case 'BODY':
      return 'body';
    case 'INPUT':
      return 'input';
    case 'TEXTAREA':
      return 'textarea';
    case 'FORM':
      return 'form';
    default:
      return 'other';
  }
}

export function hookListeners(): void {
  hookMethod(proto('EventTarget'), 'addEventListener', (target, a) => {
    const type = a[0];
    if (typeof type !== 'string') return;
    const key = includes(KEY_TYPES, type);
    if (!key && !includes(MOUSE_TYPES, type)) return;
    const kind = targetKind(target);
    // Mouse listeners on buttons and links are everywhere; only page-wide ones matter.
    if (!key && kind !== 'window' && kind !== 'document' && kind !== 'body') return;
    if (!allow(`ls:${type}:${kind}`)) return;
    emit({ __proto__: null, k: 'listener', s: captureStack(), type, tg: kind } as never);
  });
  hookMethod(proto('MutationObserver'), 'observe', (_mo, a) => {
    const kind = targetKind(a[0]);
    if (kind !== 'document' && kind !== 'body') return;
    let subtree: boolean;
    try {
      // Own data property only: a getter on the page's options object must not run twice.
      subtree = ownData(a[1], 'subtree').value === true;
    } catch {
      subtree = false;
    }
    if (allow(`ob:${kind}`, 8))
      emit({ __proto__: null, k: 'observe', s: captureStack(), tg: kind, sub: subtree } as never);
  });
}

const INPUT = proto('HTMLInputElement');
const typeOf = getterOf(INPUT, 'type');
const autocompleteOf = getterOf(INPUT, 'autocomplete');

function fieldOf(input: unknown): string | null {
  const type = read(typeOf, input);
  if (type === 'email') return 'email';
  if (type === 'tel') return 'phone';
  if (type === 'password') return 'password';
  const ac = read(autocompleteOf, input);
  if (typeof ac !== 'string' || !ac) return null;
  const a = lower(ac);
  if (a === 'email') return 'email';
  if (a === 'tel' || a === 'tel-national') return 'phone';
  if (a === 'name' || a === 'given-name' || a === 'family-name') return 'name';
  return null;
}

export function hookFieldReads(): void {
  hookAccessor(
    INPUT,
    'value',
    (input) => {
      const field = fieldOf(input);
      if (field && allow(`vr:${field}`))
        emit({ __proto__: null, k: 'value-read', s: captureStack(), f: field } as never);
    },
    null,
  );
}
