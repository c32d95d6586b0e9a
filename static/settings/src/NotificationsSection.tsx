/**
 * The "Notifications" section of a connection (area `notifications`): who is told when a sync fails after its
 * retries, the partner token stops working, or a conflict waits for a decision — Jira's email to the assignee,
 * watchers or project admins; a Slack incoming webhook (the URL is write-only: the page shows only whether one is
 * set); an internal comment restricted to a project role. Save, and "Send a test notification". Input is checked
 * with the contract's schemas before it is sent; resolver errors are shown as the resolver wrote them.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { ErrorMessage } from '@atlaskit/form/error-message';
import { HelperMessage } from '@atlaskit/form/helper-message';
import { Label } from '@atlaskit/form/label';
import { SlackWebhookUrl, type NotificationSettings, type NotificationsView, type ResolverError, type TestNotificationResult } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';

const CHANNEL_NAMES: Record<string, string> = { email: 'Email from Jira', slack: 'Slack', comment: 'Internal comment' };

type Outcome = { kind: 'saved' } | { kind: 'tested'; result: TestNotificationResult } | { kind: 'error'; error: ResolverError } | null;

/** Props: the connection whose notifications are edited. */
export interface NotificationsSectionProps {
  connectionId: string;
}

/** The Notifications section of one connection. */
export function NotificationsSection({ connectionId }: NotificationsSectionProps) {
  const [view, setView] = useState<NotificationsView | null>(null);
  const [loadError, setLoadError] = useState<ResolverError | null>(null);
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [slackUrl, setSlackUrl] = useState('');
  const [slackUrlError, setSlackUrlError] = useState<string | undefined>();
  const [testIssue, setTestIssue] = useState('');
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const headingId = useId();

  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setLoadError(null);
    void callResolver('getNotifications', { connectionId }).then((res) => {
      if (res.ok) {
        setView(res.data);
        setSettings(res.data.settings);
      } else setLoadError(res.error);
    });
  }, [connectionId, attempt]);

  if (!settings || !view) {
    return (
      <section className="ts-stack ts-notify" aria-labelledby={headingId}>
        <Heading size="small" as="h2" id={headingId}>Notifications</Heading>
        {loadError ? (
          <>
            <ErrorNote error={loadError} title="The notification settings could not be read" />
            <div className="ts-row"><Button onClick={() => setAttempt((n) => n + 1)}>Try again</Button></div>
          </>
        ) : (
          <div className="ts-row">
            <Spinner label="Loading notifications" size="small" />
            <span className="ts-muted" aria-hidden="true">Loading notifications…</span>
          </div>
        )}
      </section>
    );
  }

  const patch = <K extends keyof NotificationSettings>(part: K, value: Partial<NotificationSettings[K]>) => setSettings((s) => (s ? { ...s, [part]: { ...s[part], ...value } } : s));

  const save = async () => {
    setOutcome(null);
    const typed = slackUrl.trim();
    if (typed) {
      const checked = SlackWebhookUrl.safeParse(typed);
      if (!checked.success) {
        setSlackUrlError(checked.error.issues[0]?.message);
        return;
      }
    }
    setBusy('save');
    const res = await callResolver('saveNotifications', { connectionId, settings, ...(typed ? { slackWebhookUrl: typed } : {}) });
    setBusy(null);
    if (!res.ok) return setOutcome({ kind: 'error', error: res.error });
    setView(res.data);
    setSettings(res.data.settings);
    setSlackUrl('');
    setOutcome({ kind: 'saved' });
  };

  const test = async () => {
    setOutcome(null);
    setBusy('test');
    const res = await callResolver('sendTestNotification', { connectionId, ...(testIssue.trim() ? { issueKey: testIssue.trim().toUpperCase() } : {}) });
    // The test changes each channel's last outcome: read the failures again (the settings being edited stay).
    const fresh = res.ok ? await callResolver('getNotifications', { connectionId }) : null;
    setBusy(null);
    if (fresh?.ok) setView(fresh.data);
    setOutcome(res.ok ? { kind: 'tested', result: res.data } : { kind: 'error', error: res.error });
  };

  const urlHint = view.slackWebhookSet ? 'Set — leave empty to keep' : 'Not set';
  const anyOn = settings.email.assignee || settings.email.watchers || settings.email.projectAdmins || settings.slack.enabled || settings.comment.enabled;

  return (
    <section className="ts-stack ts-notify" aria-labelledby={headingId} data-testid="notifications-section">
      <Heading size="small" as="h2" id={headingId}>Notifications</Heading>
      <p className="ts-muted">
        Who is told when a sync fails after its retries, the partner token stops working, or a conflict waits for a decision. Each
        episode is told once, with a note when it heals.
      </p>
      {!anyOn && <p className="ts-muted" data-testid="notify-none">No channel is on: nobody is told when this connection fails. Choose at least one below.</p>}
      {view.failures.length > 0 && <Failures failures={view.failures} />}
      <form
        className="ts-stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="ts-fieldset">
          <legend>Email from Jira</legend>
          <Check id="notify-assignee" checked={settings.email.assignee} onChange={(v) => patch('email', { assignee: v })}>Assignee</Check>
          <Check id="notify-watchers" checked={settings.email.watchers} onChange={(v) => patch('email', { watchers: v })}>Watchers</Check>
          <Check id="notify-admins" checked={settings.email.projectAdmins} onChange={(v) => patch('email', { projectAdmins: v })}>Project admins (role Administrators)</Check>
        </fieldset>
        <fieldset className="ts-fieldset">
          <legend>Slack</legend>
          <Check id="notify-slack" checked={settings.slack.enabled} onChange={(v) => patch('slack', { enabled: v })}>Post to a Slack channel</Check>
          <div className="ts-field">
            <Label htmlFor="notify-slack-url">Incoming webhook URL</Label>
            <Textfield id="notify-slack-url" name="slackWebhookUrl" type="password" value={slackUrl} placeholder={urlHint} isInvalid={!!slackUrlError} autoComplete="off"
              onChange={(e) => {
                setSlackUrl(e.currentTarget.value);
                setSlackUrlError(undefined);
              }} />
            {slackUrlError ? <ErrorMessage>{slackUrlError}</ErrorMessage> : <HelperMessage>{`${urlHint}. https://hooks.slack.com/services/… from Slack → Apps → Incoming WebHooks; stored as a secret, never shown again.`}</HelperMessage>}
          </div>
          <Check id="notify-digest" checked={settings.slack.digest} onChange={(v) => patch('slack', { digest: v })}>Once a day, as a digest (email and comments still go at once)</Check>
        </fieldset>
        <fieldset className="ts-fieldset">
          <legend>Internal comment on the issue</legend>
          <Check id="notify-comment" checked={settings.comment.enabled} onChange={(v) => patch('comment', { enabled: v })}>Add a comment visible only to a project role (never copied to the partner)</Check>
          <div className="ts-field">
            <Label htmlFor="notify-role">Project role</Label>
            <Textfield id="notify-role" name="role" value={settings.comment.role} onChange={(e) => patch('comment', { role: e.currentTarget.value })} />
            <HelperMessage>The app must be in the role, e.g. Developers.</HelperMessage>
          </div>
        </fieldset>
        <div className="ts-row">
          <Button type="submit" appearance="primary" isDisabled={busy !== null}>{busy === 'save' ? 'Updating…' : 'Update notifications'}</Button>
        </div>
      </form>
      <div className="ts-row ts-notify-test">
        <div className="ts-field">
          <Label htmlFor="notify-test-issue">Issue for the test (optional)</Label>
          <Textfield id="notify-test-issue" name="testIssue" value={testIssue} placeholder="a linked issue" onChange={(e) => setTestIssue(e.currentTarget.value)} />
        </div>
        <Button onClick={() => void test()} isDisabled={busy !== null}>{busy === 'test' ? 'Sending…' : 'Send a test notification'}</Button>
      </div>
      <div aria-live="polite">
        {outcome?.kind === 'saved' && <SectionMessage appearance="success" title="Notifications saved"><p>{view.slackWebhookSet ? 'A Slack webhook URL is set.' : 'No Slack webhook URL is set.'}</p></SectionMessage>}
        {outcome?.kind === 'tested' && <TestOutcome result={outcome.result} />}
        {outcome?.kind === 'error' && <ErrorNote error={outcome.error} />}
      </div>
    </section>
  );
}

/** Channels whose last notification could not be sent, in the words of Slack or Jira (the sync went on). */
function Failures({ failures }: { failures: NotificationsView['failures'] }) {
  return (
    <SectionMessage appearance="warning" title="Some notifications could not be sent">
      <p>The syncs themselves were not affected. Each line goes once the channel sends again.</p>
      <ul aria-label="Notification failures">
        {failures.map((f) => (
          <li key={f.channel}>
            <strong>{CHANNEL_NAMES[f.channel]}</strong>, {f.issueKey ? `about ${f.issueKey}` : 'the daily digest'}, <time dateTime={f.at}>{new Date(f.at).toLocaleString()}</time>: {f.message}
          </li>
        ))}
      </ul>
    </SectionMessage>
  );
}

function TestOutcome({ result }: { result: TestNotificationResult }) {
  const ok = !result.failed.length;
  return (
    <SectionMessage appearance={ok ? 'success' : 'warning'} title={ok ? `Test sent about ${result.issueKey}` : `Test about ${result.issueKey}: some channels failed`}>
      <ul aria-label="Test notification channels">
        {result.sent.map((c) => <li key={c}>✓ {CHANNEL_NAMES[c]}: sent</li>)}
        {result.failed.map((f) => <li key={f.channel}>✗ {CHANNEL_NAMES[f.channel]}: {f.message}</li>)}
      </ul>
    </SectionMessage>
  );
}

function Check(p: { id: string; checked: boolean; onChange: (v: boolean) => void; children: ReactNode }) {
  return (
    <label className="ts-check" htmlFor={p.id}>
      <input id={p.id} type="checkbox" checked={p.checked} onChange={(e) => p.onChange(e.currentTarget.checked)} /> {p.children}
    </label>
  );
}
