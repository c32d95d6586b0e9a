/**
 * A tooltip for the glance, light enough for a page that loads on every issue view: the glance runs on Preact
 * (see `static/vite.pages.ts`), and Atlaskit's `Tooltip` with its popper, motion and top-layer packages would be
 * ~30 KB gzip of the glance's 40 KB budget. It keeps what people rely on in Atlaskit's: it shows after the same
 * short delay on hover and at once on keyboard focus, hides on leave, blur and Escape, is announced as the
 * trigger's description (`role="tooltip"` + `aria-describedby`), and is drawn with Atlaskit's tooltip tokens, so
 * it looks the same in light and dark.
 * @see https://atlassian.design/components/tooltip/usage
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/** Hover delay before the note shows (ms), Atlaskit Tooltip's default. */
export const SHOW_DELAY_MS = 300;

/** What the trigger must spread onto its focusable element. */
export interface TriggerProps {
  'aria-describedby': string | undefined;
  onMouseEnter: () => void;
  onMouseLeave: () => void;
  onFocus: () => void;
  onBlur: () => void;
  onKeyDown: (e: { key: string }) => void;
}

/**
 * Renders `children(triggerProps)` and, while shown, the note `content` below its start edge.
 * @param content the words of the note (plain text)
 */
export function HoverNote({ content, children }: { content: string; children: (props: TriggerProps) => ReactNode }) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const show = (delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setShown(true), delay);
  };
  const hide = () => {
    clearTimeout(timer.current);
    setShown(false);
  };
  const props: TriggerProps = {
    // As Atlaskit's Tooltip: the description is linked (and rendered) while the note shows.
    'aria-describedby': shown ? id : undefined,
    onMouseEnter: () => show(SHOW_DELAY_MS),
    onMouseLeave: hide,
    onFocus: () => show(0),
    onBlur: hide,
    onKeyDown: (e) => e.key === 'Escape' && hide(),
  };
  return (
    <span className="ts-note-anchor">
      {children(props)}
      {shown && (
        <span role="tooltip" id={id} className="ts-note">
          {content}
        </span>
      )}
    </span>
  );
}
