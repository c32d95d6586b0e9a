/** The attachment planner (`planAttachments`): copies, deletes that follow, and files over a limit skipped once. */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { FORGE_FILE_LIMIT_BYTES, mediaMaps, planAttachments, skipText } from '../../src/sync/attachment-sync';

const file = (id: string, size = 10, filename = `f${id}.png`) => ({ id, filename, size, mimeType: 'image/png', created: '2026-12-02T10:00:00.000+0000' });
const big = { local: Number.MAX_SAFE_INTEGER, partner: Number.MAX_SAFE_INTEGER };

describe('planAttachments', () => {
  test('a file in no pair is copied to the other side; a paired one is left alone', () => {
    const plan = planAttachments({ local: [file('1'), file('2')], partner: [file('9')], links: [{ localId: '1', partnerId: '9' }], skipped: [], uploadLimit: big });
    assert.deepEqual(plan.actions.map((a) => [a.kind, 'from' in a ? a.from : '', 'attachment' in a ? a.attachment.id : '']), [['copy', 'local', '2']]);
    assert.deepEqual(plan.keep, [{ localId: '1', partnerId: '9' }]);
  });

  test('a deleted original deletes its mirror; a pair gone on both sides is dropped', () => {
    const plan = planAttachments({ local: [], partner: [file('9')], links: [{ localId: '1', partnerId: '9' }, { localId: '2', partnerId: '8' }], skipped: [], uploadLimit: big });
    assert.deepEqual(plan.actions, [{ kind: 'delete', target: 'partner', id: '9' }]);
    assert.deepEqual(plan.keep, []);
  });

  test('a file over the target limit is skipped once with name, size and limit, and not planned again', () => {
    const first = planAttachments({ local: [file('3', 5000, 'huge.bin')], partner: [], links: [], skipped: [], uploadLimit: { local: big.local, partner: 2000 } });
    const skip = first.actions[0];
    assert.equal(skip.kind, 'skip');
    assert.match(skipText(skip as never), /"huge\.bin" \(5,000 bytes\) on the local issue was not copied: it is over the partner site's upload limit \(2,000 bytes\)/);
    const again = planAttachments({ local: [file('3', 5000, 'huge.bin')], partner: [], links: [], skipped: first.skipped, uploadLimit: { local: big.local, partner: 2000 } });
    assert.deepEqual(again.actions, []);
    assert.deepEqual(again.skipped, ['local:3']);
  });

  test('a file over what one Forge invocation can move is skipped whatever the site allows', () => {
    const plan = planAttachments({ local: [], partner: [file('4', FORGE_FILE_LIMIT_BYTES + 1)], links: [], skipped: [], uploadLimit: big });
    assert.equal(plan.actions[0].kind, 'skip');
    assert.match(skipText(plan.actions[0] as never), /over what one Forge invocation can move/);
  });

  test('a skip key whose file is gone drops out', () => {
    assert.deepEqual(planAttachments({ local: [], partner: [], links: [], skipped: ['local:3'], uploadLimit: big }).skipped, []);
  });
});

test('media maps pair the media ids known on both sides, each way', () => {
  assert.deepEqual(mediaMaps([{ localId: '1', partnerId: '9', localMediaId: 'a', partnerMediaId: 'b' }, { localId: '2', partnerId: '8', localMediaId: 'c' }]), { local: { a: 'b' }, partner: { b: 'a' } });
});

// convergence: found by the convergence property (a run failed after an upload, and the next copied the file again)
describe('a mirror whose pair was never saved', () => {
  const app = { local: 'app-local', partner: 'app-partner' };
  const by = (f: ReturnType<typeof file>, accountId: string) => ({ ...f, author: { accountId } });

  test('the app\'s unpaired upload with the original\'s name and size is paired with it, and nothing is copied', () => {
    const plan = planAttachments({ local: [by(file('1', 40, 'a.bin'), 'ana')], partner: [by(file('9', 40, 'a.bin'), app.partner)], links: [], skipped: [], uploadLimit: big, appAccountIds: app });
    assert.deepEqual(plan.actions.map((a) => a.kind), ['adopt']);
    assert.deepEqual(plan.actions[0].kind === 'adopt' && [plan.actions[0].local.id, plan.actions[0].partner.id], ['1', '9']);
  });

  test('a person\'s file of the same name and size is a new file, copied both ways', () => {
    const plan = planAttachments({ local: [by(file('1', 40, 'a.bin'), 'ana')], partner: [by(file('9', 40, 'a.bin'), 'ben')], links: [], skipped: [], uploadLimit: big, appAccountIds: app });
    assert.deepEqual(plan.actions.map((a) => a.kind), ['copy', 'copy']);
  });

  test('an app upload of another size is not taken for the mirror', () => {
    const plan = planAttachments({ local: [by(file('1', 40, 'a.bin'), 'ana')], partner: [by(file('9', 41, 'a.bin'), app.partner)], links: [], skipped: [], uploadLimit: big, appAccountIds: app });
    assert.deepEqual(plan.actions.map((a) => a.kind), ['copy', 'copy']);
  });
});
