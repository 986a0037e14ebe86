// Small pieces the report views share: loading/error states, chips, dates, search boxes.
import type { ComponentChild } from 'preact';
import type { FindingKind } from '../../../core/model.ts';
import { kindLabel } from '../../shared/format.ts';
import type { LiveResult } from '../../shared/use-live-query.ts';

/** Renders `ready` once the live query answered, else a status line. */
export function Loaded<T>({
  result,
  children,
}: {
  result: LiveResult<T>;
  children: (value: T) => ComponentChild;
}) {
  if (result.status === 'loading')
    return (
      <p class="status" role="status">
        Loading…
      </p>
    );
  if (result.status === 'error')
    return (
      <p class="status error" role="alert">
        Could not read the database: {String(result.error)}
      </p>
    );
  return <>{children(result.value)}</>;
}

export function KindChips({
  kinds,
  max = 6,
}: {
  kinds: Partial<Record<FindingKind, number>> | readonly FindingKind[];
  max?: number;
}) {
  const list: [FindingKind, number | null][] = Array.isArray(kinds)
    ? (kinds as readonly FindingKind[]).map((k) => [k, null])
    : (Object.entries(kinds) as [FindingKind, number][]);
  const shown = list.slice(0, max);
  return (
    <span class="chips">
      {shown.map(([k, n]) => (
        <span key={k} class={`chip kind-${k}`}>
          {kindLabel(k)}
          {n !== null ? ` ${n}` : ''}
        </span>
      ))}
      {list.length > max && <span class="chip more">+{list.length - max}</span>}
    </span>
  );
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? dateFmt.format(new Date(ms)) : '–';
}

export function SearchBox({
  label,
  value,
  onInput,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  return (
    <label class="search">
      <span>{label}</span>
      <input
        type="search"
        value={value}
        placeholder={placeholder}
        data-testid={testId}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );
}
