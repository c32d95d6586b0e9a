/**
 * Atlaskit's `SectionMessage`, loaded on demand. The pages show one only in states other than the usual first paint
 * (an error, a broken link, an offer, a success note), yet the component brings its dismiss button, and with it
 * Atlaskit's tooltip, popper, top layer, the legacy button and emotion (≈ 30 KB gzip, `npm run build:ui -- --why
 * panel`). Until the chunk arrives, and for good if it cannot load (the network is what failed), the same words
 * show in a plain box drawn with the same design tokens, so a message is never blank or lost.
 * @see https://atlassian.design/components/section-message/code
 */
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import type { SectionMessageProps } from '@atlaskit/section-message';

export type { SectionMessageProps } from '@atlaskit/section-message';

// The package's types describe its CommonJS build (default = the module); the bundle loads its ESM build.
const Lazy = lazy(() => import('@atlaskit/section-message').then((m) => ({ default: m.default as unknown as ComponentType<SectionMessageProps> })));

/** The words of a section message without Atlaskit's box: what shows while loading or if loading failed. */
function PlainMessage({ appearance = 'information', title, children }: SectionMessageProps) {
  const urgent = appearance === 'error' || appearance === 'warning';
  return (
    <section className={`ts-message ts-message--${appearance}`} role={urgent ? 'alert' : undefined}>
      {title && <h2 className="ts-message__title">{title}</h2>}
      {children}
    </section>
  );
}

/** Keeps {@link PlainMessage} when the chunk cannot load, instead of unmounting the page. */
class KeepPlain extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** Drop-in for `@atlaskit/section-message`'s default export. */
export function SectionMessage(props: SectionMessageProps) {
  const plain = <PlainMessage {...props} />;
  return (
    <KeepPlain fallback={plain}>
      <Suspense fallback={plain}>
        <Lazy {...props} />
      </Suspense>
    </KeepPlain>
  );
}
