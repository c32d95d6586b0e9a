/**
 * The filtered sync log as CSV, written with papaparse (`Papa.unparse`: quoting, commas and newlines in messages
 * handled by the library), one row per entry. Columns: time, connection, trigger, direction, local issue, partner
 * issue, outcome, fields, changes (`Name (to site): before → after; …`), who, received, started, ended, message,
 * cause, what to do. Loaded only when someone exports.
 * @see https://www.papaparse.com/docs#json-to-csv
 */
import Papa from 'papaparse';
import type { SyncLogEntry } from '../../../../src/contract';

export const CSV_COLUMNS = ['Time', 'Connection', 'Trigger', 'Direction', 'Issue', 'Partner issue', 'Outcome', 'Fields', 'Changes', 'Who', 'Received', 'Started', 'Ended', 'Message', 'Cause', 'What to do'];

/** CSV text (header row first, CRLF line ends as Papa writes them). */
export function logCsv(entries: SyncLogEntry[]): string {
  const rows = entries.map((e) => [
    e.at,
    e.connectionId ?? '',
    e.trigger,
    e.direction,
    e.localIssueKey ?? '',
    e.partnerIssueKey ?? '',
    e.outcome,
    e.fields.join(', '),
    (e.changes ?? []).map((c) => `${c.name} (${c.to}): ${c.before} → ${c.after}`).join('; '),
    e.actor ? `${e.actor.displayName ?? e.actor.accountId} (${e.actor.site})` : '',
    e.timings?.receivedAt ?? '',
    e.timings?.startedAt ?? '',
    e.timings?.endedAt ?? '',
    e.message,
    e.cause ?? '',
    e.advice ?? '',
  ]);
  return Papa.unparse({ fields: CSV_COLUMNS, data: rows });
}

/** Starts a download of `text` as `name` in the page (an object URL on a temporary link). */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
