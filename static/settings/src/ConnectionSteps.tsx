/**
 * The result of Test connection: each step with ✓ or ✗ and its message, as the resolver wrote it.
 */
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import type { ConnectionReport } from '../../../src/contract';

/** Shows a {@link ConnectionReport} as a success or error message with one line per step. */
export function ConnectionSteps({ report }: { report: ConnectionReport }) {
  return (
    <SectionMessage
      appearance={report.ok ? 'success' : 'error'}
      title={report.ok ? 'Connection works' : 'Connection failed'}
    >
      <ul className="ts-steps" aria-label="Connection steps">
        {report.steps.map((s, i) => (
          <li key={i} data-ok={s.ok}>
            <span className={`ts-step-mark ${s.ok ? 'ts-step-mark--ok' : 'ts-step-mark--fail'}`} aria-label={s.ok ? 'passed' : 'failed'}>
              {s.ok ? '✓' : '✗'}
            </span>
            <span>
              <strong>{s.name}</strong> — {s.message}
            </span>
          </li>
        ))}
      </ul>
    </SectionMessage>
  );
}
