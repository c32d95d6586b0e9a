/**
 * Once per episode (`src/sync/notify-episodes.ts`), the words of a notification (`src/sync/notify-text.ts`) and
 * the notification settings stored inside older records (`src/model/notifications.ts`).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Connection } from '../../src/model/connection';
import { LinkRecord } from '../../src/model/link';
import { ChannelFailure, NotificationSettings, SLACK_WEBHOOK_PATTERN, TokenEpisodeRecord, notificationsOf } from '../../src/model/notifications';
import { NotificationsView } from '../../src/contract/notify';
import { appendDigest, DIGEST_MAX_LINES, nextEpisode, tokenStep, toldAfterToken, troubleOf, type LinkStateView } from '../../src/sync/notify-episodes';
import { emailBody, noticeComment, noticeText, slackLine, startsWithNoticeMarker } from '../../src/sync/notify-text';

const T0 = '2026-12-02T10:00:00.000Z';
const T1 = '2026-12-02T10:05:00.000Z';
const ok: LinkStateView = { state: 'ok', lastErrorCode: null, notice: null };
const failed: LinkStateView = { state: 'failed', lastErrorCode: 'forbidden', notice: null };
const tokenRefused: LinkStateView = { state: 'failed', lastErrorCode: 'partner-auth', notice: null };
const conflicted: LinkStateView = { state: 'conflicted', lastErrorCode: null, notice: null };

describe('one notification per failure episode', () => {
  test('a link that syncs and was in no episode tells nothing', () => {
    assert.deepEqual(nextEpisode(ok, T0), { notice: null, tell: null });
  });

  test('the first failure opens an episode and tells once; the same failure again tells nothing', () => {
    const first = nextEpisode(failed, T0);
    assert.deepEqual(first, { notice: { kind: 'failed', since: T0, notifiedAt: T0 }, tell: { event: 'opened', kind: 'failed' } });
    const again = nextEpisode({ ...failed, notice: first.notice }, T1);
    assert.deepEqual(again, { notice: first.notice, tell: null }, 'a repeat failure keeps the episode and its start');
  });

  test('the next successful sync closes the episode with one recovery note', () => {
    const open = nextEpisode(failed, T0).notice;
    assert.deepEqual(nextEpisode({ ...ok, notice: open }, T1), { notice: null, tell: { event: 'recovered', kind: 'failed' } });
  });

  test('a failure that turns into a waiting conflict opens a new episode of the new kind', () => {
    const open = nextEpisode(failed, T0).notice;
    const step = nextEpisode({ ...conflicted, notice: open }, T1);
    assert.deepEqual(step.tell, { event: 'opened', kind: 'conflict' });
    assert.equal(step.notice?.since, T1);
  });

  test('a paused or broken link keeps its episode and tells nothing', () => {
    const open = nextEpisode(failed, T0).notice;
    assert.deepEqual(nextEpisode({ ...ok, paused: true, notice: open }, T1), { notice: open, tell: null });
    assert.deepEqual(nextEpisode({ state: 'broken', lastErrorCode: 'not-found', notice: open }, T1), { notice: open, tell: null });
  });

  test('troubles are named by the link state and the last error code', () => {
    assert.equal(troubleOf(failed), 'failed');
    assert.equal(troubleOf(tokenRefused), 'partner-auth');
    assert.equal(troubleOf(conflicted), 'conflict');
    assert.equal(troubleOf(ok), null);
    assert.equal(troubleOf({ state: 'broken', lastErrorCode: 'not-found' }), null);
  });
});

describe('a refused partner token is one episode per connection', () => {
  test('the first link opens it and tells; a second link finds it open and tells nothing', () => {
    const step = nextEpisode(tokenRefused, T0);
    assert.equal(tokenStep(false, step), 'open');
    assert.deepEqual(toldAfterToken(step, 'open'), { event: 'opened', kind: 'partner-auth' });
    assert.equal(tokenStep(true, step), null);
    assert.equal(toldAfterToken(step, null), null);
  });

  test('the first link that syncs again closes it with the recovery note; the others close theirs silently', () => {
    const healed = nextEpisode({ ...ok, notice: { kind: 'partner-auth', since: T0, notifiedAt: T0 } }, T1);
    assert.equal(tokenStep(true, healed), 'close');
    assert.deepEqual(toldAfterToken(healed, 'close'), { event: 'recovered', kind: 'partner-auth' });
    assert.equal(tokenStep(false, healed), null);
    assert.equal(toldAfterToken(healed, null), null);
    assert.equal(healed.notice, null);
  });

  test('other kinds never touch the token episode', () => {
    const step = nextEpisode(failed, T0);
    assert.equal(tokenStep(true, step), null);
    assert.deepEqual(toldAfterToken(step, null), step.tell);
  });
});

describe('digest', () => {
  test('keeps the newest lines only', () => {
    let lines: string[] = [];
    for (let i = 0; i < DIGEST_MAX_LINES + 5; i++) lines = appendDigest(lines, `line ${i}`);
    assert.equal(lines.length, DIGEST_MAX_LINES);
    assert.equal(lines[0], 'line 5');
    assert.equal(lines.at(-1), `line ${DIGEST_MAX_LINES + 4}`);
  });
});

describe('the words of a notification', () => {
  const subject = { localIssueKey: 'ALOY-7', partnerIssueKey: 'PARTNER-3', connection: 'partner.atlassian.net · PARTNER', localSiteUrl: 'https://local.atlassian.net/', detail: 'The partner site refused GET (403 Forbidden).' };

  test('an opened failure says what happened, why, and what to do, and links the issue', () => {
    const t = noticeText({ ...subject, event: { event: 'opened', kind: 'failed' } });
    assert.equal(t.subject, '[Task sync] ALOY-7 stopped syncing');
    assert.match(t.body, /^ALOY-7 ↔ PARTNER-3 \(partner\.atlassian\.net · PARTNER\) stopped syncing\. The partner site refused GET \(403 Forbidden\)\. Fix the cause/);
    assert.equal(t.issueUrl, 'https://local.atlassian.net/browse/ALOY-7');
  });

  test('a refused token asks for a new API token; a conflict points at the panel; a recovery says nothing to do', () => {
    assert.match(noticeText({ ...subject, event: { event: 'opened', kind: 'partner-auth' } }).body, /Enter a new API token/);
    assert.match(noticeText({ ...subject, event: { event: 'opened', kind: 'conflict' } }).body, /Task sync panel/);
    const healed = noticeText({ ...subject, event: { event: 'recovered', kind: 'failed' } });
    assert.equal(healed.subject, '[Task sync] Recovered: ALOY-7 syncs again');
    assert.doesNotMatch(healed.body, /403/, 'a recovery does not repeat the old error');
  });

  test('email bodies escape HTML; Slack lines escape Slack control characters and link the issue', () => {
    const t = noticeText({ ...subject, detail: 'Value <b>&</b> refused.', event: { event: 'opened', kind: 'failed' } });
    const mail = emailBody(t);
    assert.match(mail.htmlBody, /Value &lt;b&gt;&amp;&lt;\/b&gt; refused\./);
    assert.match(mail.textBody, /Value <b>&<\/b> refused\. Fix the cause[^\n]*\n\nhttps:\/\/local\.atlassian\.net\/browse\/ALOY-7$/);
    const line = slackLine(t, 'ALOY-7');
    assert.match(line, /Value &lt;b&gt;&amp;&lt;\/b&gt; refused\./);
    assert.match(line, /<https:\/\/local\.atlassian\.net\/browse\/ALOY-7\|ALOY-7>$/);
  });

  test('the internal comment starts with the notice marker, which a person\'s comment does not', () => {
    const body = noticeComment(noticeText({ ...subject, event: { event: 'opened', kind: 'failed' } }));
    assert.equal(startsWithNoticeMarker(body), true);
    assert.equal(startsWithNoticeMarker({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Task sync notice (internal):' }] }] }), false, 'without bold it is a person quoting it');
    assert.equal(startsWithNoticeMarker(null), false);
  });
});

describe('stored records written before notifications existed', () => {
  test('a connection without notifications parses, with every channel off', () => {
    const stored = Connection.shape.notifications.parse(undefined);
    assert.equal(stored, undefined);
    assert.deepEqual(notificationsOf({}), { email: { assignee: false, watchers: false, projectAdmins: false }, slack: { enabled: false, digest: false }, comment: { enabled: false, role: 'Developers' } });
    assert.deepEqual(NotificationSettings.parse({ slack: { enabled: true } }).slack, { enabled: true, digest: false });
  });

  test('a link without a notice parses with no episode open, and a stored notice is read back', () => {
    assert.equal(LinkRecord.shape.notice.parse(undefined), undefined);
    assert.deepEqual(LinkRecord.shape.notice.parse({ kind: 'failed', since: T0 }), { kind: 'failed', since: T0, notifiedAt: null });
    assert.throws(() => LinkRecord.shape.notice.parse({ kind: 'bored', since: T0 }));
  });

  test('a token episode stored before it was swapped ({since}) reads as open; a closed one is {since: null}', () => {
    assert.deepEqual(TokenEpisodeRecord.parse({ since: T0 }), { since: T0 });
    assert.deepEqual(TokenEpisodeRecord.parse({ since: null }), { since: null });
    assert.throws(() => TokenEpisodeRecord.parse({}), 'a record without since is unreadable, not silently closed');
  });

  test('a channel failure keeps its words; a view from before failures were kept lists none', () => {
    assert.deepEqual(ChannelFailure.parse({ at: T0, issueKey: 'ALOY-1', message: 'Slack answered 404 (no_service).' }), { at: T0, issueKey: 'ALOY-1', message: 'Slack answered 404 (no_service).' });
    assert.throws(() => ChannelFailure.parse({ at: T0, issueKey: 'ALOY-1', message: 'x'.repeat(2001) }));
    const old = { connectionId: 'c1', settings: notificationsOf({}), slackWebhookSet: false };
    assert.deepEqual(NotificationsView.parse(old).failures, []);
  });

  test('only Slack incoming-webhook URLs are accepted', () => {
    assert.match('https://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdEFGH1234ijkl5678mnop', SLACK_WEBHOOK_PATTERN);
    for (const bad of ['http://hooks.slack.com/services/T0AAA1111/B0BBB2222/abcdEFGH1234', 'https://hooks.slack.com.evil.example/services/T0AAA1111/B0BBB2222/abcdEFGH1234', 'https://example.com/services/T0AAA1111/B0BBB2222/abcdEFGH1234', 'https://hooks.slack.com/workflows/T0AAA1111/B0BBB2222/abcdEFGH1234']) {
      assert.doesNotMatch(bad, SLACK_WEBHOOK_PATTERN, bad);
    }
  });
});
