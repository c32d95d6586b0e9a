/**
 * A resolver error shown to the person as the resolver wrote it.
 */
import { SectionMessage } from './Message'; // pages: loaded on demand
import type { ResolverError } from '../../src/contract';

/** Shows `error.message` in an error SectionMessage, optionally under `title`. */
export function ErrorNote({ error, title }: { error: ResolverError; title?: string }) {
  return (
    <SectionMessage appearance="error" title={title}>
      <p>{error.message}</p>
    </SectionMessage>
  );
}
