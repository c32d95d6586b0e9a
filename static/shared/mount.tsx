/**
 * Boots a page: loads the Forge context (which also applies the colour mode), then renders the page's root
 * component into `#root`. If the context cannot be read, shows why instead of a blank frame. zod's `jitless` setting
 * is not made here: `contract-check.ts` makes it before the schemas load, and a page that imports the contract up
 * front (settings) imports `jitless` first in its `main.tsx`.
 */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadContext, type PageContext } from './context';
import './page.css';

/** Renders `render(context)` into `#root` once the Forge context is known. */
export function mountPage(render: (ctx: PageContext) => ReactNode): void {
  const root = createRoot(document.getElementById('root')!);
  loadContext().then(
    (ctx) => root.render(<StrictMode>{render(ctx)}</StrictMode>),
    (err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      root.render(<p role="alert">Task sync could not start here: {why}</p>);
    },
  );
}
