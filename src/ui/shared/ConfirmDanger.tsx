// A destructive button that asks once before acting: the first press shows the question
// with a confirm and a cancel button; only the confirm runs the action.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function ConfirmDanger({
  label,
  question,
  confirmLabel,
  testId,
  onConfirm,
}: {
  /** The first button ("Delete this site…"). */
  label: string;
  question: ComponentChildren;
  confirmLabel: string;
  /** data-testid of the first button; the confirm button gets `confirm-<testId>`. */
  testId: string;
  onConfirm: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" class="danger" data-testid={testId} onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }
  return (
    <p class="confirm" role="alert">
      {question}{' '}
      <button
        type="button"
        class="danger"
        data-testid={`confirm-${testId}`}
        onClick={() => {
          setConfirming(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </p>
  );
}
