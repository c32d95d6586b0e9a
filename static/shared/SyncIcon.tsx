/**
 * The app's sync mark: two arrows chasing each other, drawn in `currentColor` so it follows the text colour.
 */

/** Decorative sync icon, `size` px square (default 16). Hidden from screen readers; put the meaning in text. */
export function SyncIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false" style={{ flex: 'none' }}>
      <path
        fill="currentColor"
        d="M8 2.5a5.5 5.5 0 0 1 4.6 2.5H10.5a.75.75 0 0 0 0 1.5h3.75a.75.75 0 0 0 .75-.75V2a.75.75 0 0 0-1.5 0v1.7A7 7 0 0 0 1 8a.75.75 0 0 0 1.5 0A5.5 5.5 0 0 1 8 2.5Zm6.25 4.75A.75.75 0 0 0 13.5 8 5.5 5.5 0 0 1 3.4 11H5.5a.75.75 0 0 0 0-1.5H1.75a.75.75 0 0 0-.75.75V14a.75.75 0 0 0 1.5 0v-1.7A7 7 0 0 0 15 8a.75.75 0 0 0-.75-.75Z"
      />
    </svg>
  );
}
