// The popup's non-list states. Each carries a data-testid (`state-<kind>`) for tests.

export type StateKind = 'loading' | 'empty' | 'restricted' | 'no-visit' | 'no-tab' | 'error';

const MESSAGES: Record<StateKind, { title: string; body: string }> = {
  loading: { title: 'Loading…', body: '' },
  empty: {
    title: 'No third parties seen yet on this page.',
    body: 'Reload the page to audit it.',
  },
  restricted: {
    title: "Leakwatch can't see browser pages",
    body: 'Browser pages, extension pages, local files and extension stores are off limits to every extension. Open a website to see who collects data on it.',
  },
  'no-visit': {
    title: 'No visit recorded for this tab.',
    body: 'This page was probably opened before Leakwatch started. Reload the page to audit it.',
  },
  'no-tab': { title: 'No tab to show.', body: 'Open a website, then open Leakwatch again.' },
  error: { title: "Leakwatch couldn't read its data.", body: '' },
};

interface Props {
  kind: StateKind;
  /** Extra text, e.g. the error message. */
  detail?: string;
  /** Offered where reloading fixes the state (empty, no visit). */
  onReload?: (() => void) | undefined;
}

export function StateMessage({ kind, detail, onReload }: Props) {
  const { title, body } = MESSAGES[kind];
  const canReload = onReload !== undefined && (kind === 'empty' || kind === 'no-visit');
  return (
    <div
      class={`state state-${kind}`}
      data-testid={`state-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      <p class="state-title">{title}</p>
      {body && <p class="state-body">{body}</p>}
      {detail && <p class="state-body state-detail">{detail}</p>}
      {canReload && (
        <button type="button" class="button" onClick={onReload}>
          Reload page
        </button>
      )}
    </div>
  );
}
