// The one way page-derived strings (hosts, organization names of unknown parties, cookie
// names) reach the screen: as a Preact text node, never HTML; direction-isolated in <bdi> so
// a right-to-left override cannot flip the text around it; invisible characters made
// visible; cut when absurdly long, with the (cleaned) full value in the tooltip.
import { MAX_DISPLAY_CHARS, visibleText } from './format.ts';

interface Props {
  value: string;
  /** Characters shown before cutting (CSS may still ellipsize earlier). */
  max?: number;
  class?: string;
}

export function Text({ value, max = MAX_DISPLAY_CHARS, class: className }: Props) {
  const shown = visibleText(value, max);
  return (
    <bdi class={className ? `text ${className}` : 'text'} title={visibleText(value, 2000)}>
      {shown}
    </bdi>
  );
}
