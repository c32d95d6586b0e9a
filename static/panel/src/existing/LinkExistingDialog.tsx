/**
 * "Link to an existing partner issue": find the partner issue (type its key, or words of its summary, and pick a
 * result), see the fields whose values differ, choose the starting value of each (or all from one side), and
 * confirm. Nothing is written before that confirmation; the server refuses, in words, a pair already linked, an
 * issue of another project, and values that changed since they were shown.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import Textfield from '@atlaskit/textfield';
import type { ExistingPreview, IssueSyncView, PartnerChoice, PartnerSearchResult } from '../../../../src/contract';
import { hostOf } from '../../../shared/time';
import { PartnerPicker } from '../PartnerPicker';
import { ErrorNote } from '../../../shared/ErrorNote';
import { useAction } from '../../../shared/useAction';
import { FieldChoices } from './FieldChoices';
import '../conflicts/conflicts.css';
import './existing.css';

type Side = 'local' | 'partner';

/** Props of {@link LinkExistingDialog}. */
export interface LinkExistingDialogProps {
  isOpen: boolean;
  issueKey: string;
  /** The project's partners (connections); with several, the dialog asks which one first. */
  partners: PartnerChoice[];
  /** The partner to start with (the linked-to-be one, or the first). */
  initial: string;
  onClose: () => void;
  onLinked: (view: IssueSyncView) => void;
}

/** The two-step dialog: find, then choose and confirm. */
export function LinkExistingDialog(p: LinkExistingDialogProps) {
  const action = useAction();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<PartnerSearchResult['issues'] | null>(null);
  const [preview, setPreview] = useState<ExistingPreview | null>(null);
  const [chosen, setChosen] = useState<Record<string, Side>>({});
  const [connectionId, setConnectionId] = useState(p.initial);
  const busy = action.busy !== null;
  const partner = p.partners.find((x) => x.connectionId === connectionId) ?? p.partners[0]!;
  const several = p.partners.length > 1;
  const conn = several ? { connectionId: partner.connectionId } : {};
  const partnerHost = hostOf(partner.siteUrl);

  const close = () => {
    if (busy) return;
    setHits(null);
    setPreview(null);
    setChosen({});
    setQuery('');
    action.clearError();
    p.onClose();
  };
  const search = async () => {
    setPreview(null);
    const data = await action.run('searchPartnerIssues', { query, ...conn });
    if (data) setHits(data.issues);
  };
  const choose = async (partnerIssueKey: string) => {
    const data = await action.run('previewExistingLink', { partnerIssueKey, ...conn });
    if (data) {
      setPreview(data);
      setChosen({});
    }
  };
  const link = async () => {
    if (!preview) return;
    const data = await action.run('linkExistingIssue', { partnerIssueKey: preview.partnerIssueKey, fingerprint: preview.fingerprint, fields: chosen, confirmed: true, ...conn });
    if (data) {
      p.onLinked(data);
      setPreview(null);
      setHits(null);
      setQuery('');
    }
  };
  const chooseAll = (side: Side) =>
    setChosen(Object.fromEntries((preview?.differing ?? []).map((f) => [f.field, f.choices.includes(side) ? side : f.choices[0]!])));
  const open = preview?.differing.filter((f) => !chosen[f.field]) ?? [];

  return (
    <ModalTransition>
      {p.isOpen && (
        <Modal onClose={close} width={preview ? 'large' : 'medium'} shouldCloseOnOverlayClick={!busy} label="Link to an existing partner issue">
          <ModalHeader hasCloseButton={false}>
            <ModalTitle>{preview ? `Link ${p.issueKey} with ${preview.partnerIssueKey}` : 'Link to an existing partner issue'}</ModalTitle>
          </ModalHeader>
          <ModalBody>
            {!preview && (
              <div className="ts-stack">
                {several && (
                  <PartnerPicker issueKey={p.issueKey} partners={p.partners} chosen={partner.connectionId} onChoose={(id) => { setConnectionId(id); setHits(null); }} legend={<>Which partner has the issue <strong>{p.issueKey}</strong> should sync with?</>} />
                )}
                <p>
                  Find the issue in <strong>{partnerHost}</strong> project <strong>{partner.projectKey}</strong> that <strong>{p.issueKey}</strong> should sync with: its key, or words of its summary.
                </p>
                <form className="ts-row" onSubmit={(e) => { e.preventDefault(); void search(); }}>
                  <div className="ts-grow">
                    <Textfield aria-label="Partner issue key or summary" placeholder={`${partner.projectKey}-12 or words of the summary`} value={query} onChange={(e) => setQuery(e.currentTarget.value)} isDisabled={busy} autoFocus />
                  </div>
                  <Button type="submit" isDisabled={busy || !query.trim()}>{action.busy === 'searchPartnerIssues' ? 'Searching…' : 'Search'}</Button>
                </form>
                {hits && !hits.length && <p className="ts-muted" role="status">No issue of {partner.projectKey} matches “{query}”.</p>}
                {hits && hits.length > 0 && (
                  <ul className="ts-hits" aria-label="Partner issues found">
                    {hits.map((h) => (
                      <li key={h.key} className="ts-hit">
                        <div>
                          <strong>{h.key}</strong> {h.summary} <span className="ts-muted">· {h.status}</span>
                          {h.linkedTo && <div className="ts-muted">Already synced with {h.linkedTo}</div>}
                        </div>
                        <Button isDisabled={busy || h.linkedTo !== null} onClick={() => void choose(h.key)}>Choose</Button>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {preview && (
              <div className="ts-stack">
                <p>
                  <a href={preview.partnerIssueUrl} target="_blank" rel="noreferrer">{preview.partnerIssueKey}</a> {preview.partnerSummary}
                </p>
                {preview.differing.length ? (
                  <p>
                    {preview.differing.length} {preview.differing.length === 1 ? 'field differs' : 'fields differ'} ({preview.sameCount} already agree). Choose which side each starts from: its value is written to the other issue. Nothing is written until you confirm.
                  </p>
                ) : (
                  <p>Every mapped field already agrees ({preview.sameCount}); linking writes no field.</p>
                )}
                <FieldChoices fields={preview.differing} issueKey={preview.issueKey} partnerKey={preview.partnerIssueKey} chosen={chosen} disabled={busy} onChoose={(f, s) => setChosen((c) => ({ ...c, [f]: s }))} onChooseAll={chooseAll} />
                <p className="ts-muted">
                  Comments: the {preview.comments.local} on {preview.issueKey} and the {preview.comments.partner} on {preview.partnerIssueKey} are mirrored to the other issue, each naming its author and site.
                </p>
              </div>
            )}
            {action.error && <ErrorNote error={action.error} title={preview ? 'The issues were not linked' : 'Could not look up the partner issue'} />}
          </ModalBody>
          <ModalFooter>
            {preview && (
              <Button appearance="subtle" isDisabled={busy} onClick={() => setPreview(null)}>Back</Button>
            )}
            <Button appearance="subtle" onClick={close} isDisabled={busy}>Cancel</Button>
            {preview && (
              <Button appearance="primary" isDisabled={busy || open.length > 0} onClick={() => void link()}>
                {action.busy === 'linkExistingIssue' ? 'Linking…' : open.length ? `Choose ${open.length} more` : 'Link and sync'}
              </Button>
            )}
          </ModalFooter>
        </Modal>
      )}
    </ModalTransition>
  );
}
