/**
 * The field's view (issue view, cards on boards and backlogs): the sync icon; the value ("⇄ PARTNER-12") in a
 * tooltip on hover or focus. An empty value (not synced) shows nothing, so cards of
 * unsynced issues stay clean; a pending request (`sync…`) says so. The icon is an image named by the value
 * (`role="img"` + `aria-label`: a plain span may not carry a name, axe `aria-prohibited-attr`), focusable so keyboard
 * users see the tooltip too; the tooltip repeats the name visually and is hidden from screen readers.
 */
import { SyncIcon } from '../../shared/SyncIcon';
import './field.css';

/** @param value the field value as Jira stores it, or null */
export function FieldView({ value }: { value: string | null }) {
  if (!value) return <span className="ts-field ts-field--empty" data-testid="field-empty" />;
  const requested = /^sync(:|$)/.test(value);
  const text = requested ? 'Partner copy being created' : value;
  const state = requested ? 'pending' : 'synced';
  return (
    <span className={`ts-field ts-field--${state}`} tabIndex={0} role="img" aria-label={text} data-testid="field-view">
      <SyncIcon />
      <span className="ts-field__tip" aria-hidden="true" data-testid="field-tip">{text}</span>
    </span>
  );
}
