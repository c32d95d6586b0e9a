/**
 * "Offered, never forced" in the panel: when the project's "offer sync" rule matched this issue on create (the
 * `getFieldSync` answer's `offered`), the panel asks the question up front, naming the partner. Nothing syncs until
 * the person opens the usual confirmation and confirms it (`enableSync`).
 */
import { useEffect, useState } from 'react';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import Button from '@atlaskit/button/new';
import type { PartnerChoice } from '../../../src/contract';
import { callResolver } from '../../shared/api';

/** The offer of an unlinked issue, if any; `onReview(connectionId)` opens the confirmation with that partner chosen. */
export function OfferNote({ issueKey, disabled, onReview }: { issueKey: string; disabled: boolean; onReview: (connectionId: string) => void }) {
  const [offered, setOffered] = useState<PartnerChoice | null>(null);
  useEffect(() => {
    let live = true;
    void callResolver('getFieldSync', {}).then((res) => {
      // No offer, or it could not be read: the panel simply asks its usual question.
      if (live && res.ok) setOffered(res.data.offered);
    });
    return () => {
      live = false;
    };
  }, [issueKey]);
  if (!offered) return null;
  return (
    <div data-testid="panel-offered">
      <SectionMessage appearance="discovery" title={`Suggested: sync ${issueKey} with ${offered.label}`}>
        <p>This issue matches the project's rule for issues to offer to this partner. Nothing is shared until you confirm.</p>
        <Button appearance="primary" isDisabled={disabled} onClick={() => onReview(offered.connectionId)}>
          Review and start syncing
        </Button>
      </SectionMessage>
    </div>
  );
}
