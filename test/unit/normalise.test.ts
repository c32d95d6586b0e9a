import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { adfHash, adfTextLength, canonicalAdf, sameAdf, withLocalIds, writableAdf } from '../../src/model/adf';
import { jiraTimeMs } from '../../src/model/time';
import type { AdfDoc, AdfNode } from '../../src/model/types';
import { issueByKey, loadWebhook, normaliseIssue, sameValue, v3Fields, wikiTexts, wikiToAdf } from './fixtures';

/** Every node of a doc, depth first. */
function nodes(doc: AdfDoc | AdfNode): AdfNode[] {
  const out: AdfNode[] = [];
  const walk = (n: AdfNode | AdfDoc) => {
    out.push(n as AdfNode);
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}

let realDocs: AdfDoc[] | undefined;
/** The first real text (description or comment) whose ADF satisfies `pred`. */
function realDoc(pred: (doc: AdfDoc) => boolean): AdfDoc {
  realDocs ??= wikiTexts(3000).map(wikiToAdf);
  const d = realDocs.find(pred);
  if (!d) throw new Error('no real text matches');
  return structuredClone(d);
}

describe('canonical ADF', () => {
  const docs = wikiTexts(1500).map(wikiToAdf);

  test('real descriptions and comments converted from wiki markup keep their canonical form when canonicalised again', () => {
    for (const d of docs) {
      const once = canonicalAdf(d);
      assert.notEqual(once, null);
      assert.deepStrictEqual(canonicalAdf(once), once);
      assert.deepStrictEqual(canonicalAdf(JSON.parse(JSON.stringify(once))), once);
    }
  });

  test('extra empty text nodes do not count as a change', () => {
    const d = realDoc((x) => nodes(x).filter((n) => n.type === 'text').length > 3);
    const padded = structuredClone(d);
    for (const n of nodes(padded)) {
      if (n.content?.some((c) => c.type === 'text')) n.content = n.content.flatMap((c) => [c, { type: 'text', text: '' }, { type: 'text', text: '', marks: [{ type: 'em' }] }]);
    }
    assert.ok(nodes(padded).some((n) => n.type === 'text' && n.text === ''));
    const c = canonicalAdf(padded)!;
    assert.ok(!nodes(c).some((n) => n.type === 'text' && n.text === ''));
    assert.ok(sameValue('description', d, padded));
    assert.equal(adfHash(d), adfHash(padded));
  });

  test('a text split into two nodes with the same marks equals the unsplit text', () => {
    const d = structuredClone(realDoc((x) => nodes(x).some((n) => n.type === 'text' && (n.text ?? '').length > 4)));
    const parent = nodes(d).find((n) => n.content?.some((c) => c.type === 'text' && (c.text ?? '').length > 4))!;
    const i = parent.content!.findIndex((c) => c.type === 'text' && (c.text ?? '').length > 4);
    const t = parent.content![i];
    const split = structuredClone(d);
    const sp = nodes(split).find((n) => stableEq(n, parent))!;
    sp.content!.splice(i, 1, { ...t, text: t.text!.slice(0, 2) }, { ...t, text: t.text!.slice(2) });
    assert.notDeepStrictEqual(split, d);
    assert.deepStrictEqual(canonicalAdf(split), canonicalAdf(d));
  });

  test('the order of marks on a text does not matter', () => {
    const d = realDoc((x) => nodes(x).some((n) => (n.marks?.length ?? 0) >= 2));
    const reordered = structuredClone(d);
    for (const n of nodes(reordered)) if (n.marks && n.marks.length >= 2) n.marks.reverse();
    assert.notDeepStrictEqual(reordered, d);
    assert.deepStrictEqual(canonicalAdf(reordered), canonicalAdf(d));
  });

  test('CRLF line ends in real code blocks compare equal to LF', () => {
    const d = realDoc((x) => JSON.stringify(x).includes('\\r\\n'));
    const lf = JSON.parse(JSON.stringify(d).replace(/\\r\\n/g, '\\n')) as AdfDoc;
    assert.notDeepStrictEqual(lf, d);
    assert.deepStrictEqual(canonicalAdf(d), canonicalAdf(lf));
    assert.ok(!JSON.stringify(canonicalAdf(d)).includes('\\r'));
  });

  test('a trailing empty paragraph, null attrs, empty attrs and generated localIds are not changes', () => {
    const d = realDoc((x) => nodes(x).some((n) => n.type === 'table'));
    const noisy = structuredClone(d);
    for (const n of nodes(noisy)) {
      if (n.type === 'table' || n.type === 'tableCell') n.attrs = { ...n.attrs, localId: 'a1b2c3', width: null };
      if (n.type === 'paragraph' && !n.attrs) n.attrs = {};
    }
    noisy.content.push({ type: 'paragraph', content: [] }, { type: 'paragraph' });
    assert.notDeepStrictEqual(noisy, d);
    assert.deepStrictEqual(canonicalAdf(noisy), canonicalAdf(d));
  });

  test('attrs keys come out sorted', () => {
    const c = canonicalAdf({ type: 'doc', version: 1, content: [{ type: 'panel', attrs: { panelType: 'info', b: 1, a: 2 }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] }] })!;
    assert.deepStrictEqual(Object.keys(c.content[0].attrs!), ['a', 'b', 'panelType']);
  });

  test('a real content change is still a change', () => {
    const d = canonicalAdf(docs[0])!;
    const edited = structuredClone(d);
    const t = nodes(edited).find((n) => n.type === 'text')!;
    t.text += ' (edited)';
    assert.ok(!sameValue('description', d, edited));
    assert.notEqual(adfHash(d), adfHash(edited));
  });

  test('an empty description is null whatever its shape', () => {
    assert.equal(canonicalAdf(null), null);
    assert.equal(canonicalAdf(''), null);
    assert.equal(canonicalAdf({ type: 'doc', version: 1, content: [] }), null);
    assert.equal(canonicalAdf({ type: 'doc', version: 1, content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: '' }] }] }), null);
  });

  test('plain text becomes one paragraph per block, lines joined by hard breaks', () => {
    assert.deepStrictEqual(canonicalAdf('first line\r\nsecond\r\n\r\nnext block\n'), {
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'first line' }, { type: 'hardBreak' }, { type: 'text', text: 'second' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'next block' }] },
      ],
    });
  });

  test('something that is not ADF is refused with a readable error', () => {
    assert.throws(() => canonicalAdf({ type: 'paragraph' }), /Expected an ADF document/);
  });
});

describe('normaliseIssue', () => {
  test('a real issue normalises to trimmed summary, canonical description, ids and sorted labels', () => {
    const issue = issueByKey('ALOY-1');
    const v = normaliseIssue({ ...v3Fields(issue), summary: `  ${issue.fields.summary}  `, labels: ['b', 'a', 'b', ' '] });
    assert.equal(v.summary, 'logger.js failing in Titanium runtime');
    assert.deepStrictEqual(v.description, canonicalAdf(wikiToAdf(issue.fields.description)));
    assert.equal(v.priority, '3');
    assert.equal(v.status, '6');
    assert.deepStrictEqual(v.labels, ['a', 'b']);
  });

  test('a partner webhook delivery (v2 string description) normalises like the REST issue', () => {
    const hook = loadWebhook('webhook-issue-updated-labels');
    const v = normaliseIssue(hook.issue.fields);
    assert.deepStrictEqual(v.labels, ['sad', 'test-label']);
    assert.equal(v.priority, '2');
    assert.equal(v.status, '10001');
    assert.deepStrictEqual(v.description, canonicalAdf('Unit test description, not that long, a little longer now'));
  });

  test('missing priority, status and labels normalise to empty', () => {
    assert.deepStrictEqual(normaliseIssue({}), { summary: '', description: null, priority: null, labels: [], status: null });
  });

  test('labels in another order are the same labels', () => {
    assert.ok(sameValue('labels', ['sad', 'test-label'], ['test-label', 'sad']));
    assert.ok(!sameValue('labels', ['sad', 'test-label'], ['bad', 'test-label']));
  });
});

test('Jira timestamps with +0000-style offsets compare by instant', () => {
  assert.equal(jiraTimeMs('2019-02-15T19:10:01.805-0800'), Date.parse('2019-02-16T03:10:01.805Z'));
  assert.equal(jiraTimeMs('2012-05-16T09:00:00.000+0100'), jiraTimeMs('2012-05-16T08:00:00.000Z'));
  assert.ok(Number.isNaN(jiraTimeMs('not a time')));
});

function stableEq(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('task and decision lists (localId)', () => {
  const tasks = (attrs: Record<string, unknown>, item: Record<string, unknown>): AdfDoc => ({ type: 'doc', version: 1, content: [{ type: 'taskList', attrs, content: [{ type: 'taskItem', attrs: item, content: [{ type: 'text', text: 'ship it' }] }] }] });

  test('the writable form keeps localIds (Jira refuses a task list without them); comparing ignores them', () => {
    const local = tasks({ localId: 'a' }, { localId: 'b', state: 'TODO' });
    const partner = tasks({ localId: 'x' }, { localId: 'y', state: 'TODO' });
    assert.deepEqual(writableAdf(local), local);
    assert.equal(JSON.stringify(canonicalAdf(local)).includes('localId'), false);
    assert.ok(sameAdf(local, partner), 'the same list on two sites');
    assert.ok(!sameAdf(local, tasks({ localId: 'a' }, { localId: 'b', state: 'DONE' })), 'a ticked task is a change');
  });

  test('missing localIds are generated where the schema requires them, present ones kept', () => {
    const filled = withLocalIds(tasks({}, { state: 'TODO' }))!;
    const list = filled.content[0];
    assert.match(String(list.attrs?.localId), /^[0-9a-f-]{36}$/);
    assert.match(String(list.content![0].attrs?.localId), /^[0-9a-f-]{36}$/);
    assert.deepEqual(withLocalIds(tasks({ localId: 'a' }, { localId: 'b', state: 'TODO' })), tasks({ localId: 'a' }, { localId: 'b', state: 'TODO' }));
    assert.equal(withLocalIds(null), null);
  });

  test('text length counts what a reader sees (text, breaks, mentions, emoji)', () => {
    const doc: AdfDoc = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'abc' }, { type: 'hardBreak' }, { type: 'mention', attrs: { id: 'x', text: '@Ann' } }, { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } }] }] };
    assert.equal(adfTextLength(doc), 3 + 1 + 4 + 2);
  });
});
