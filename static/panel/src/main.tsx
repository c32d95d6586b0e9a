/** Entry of the issue panel page (`jira:issuePanel`). */
import { mountPage } from '../../shared/mount';
import { Panel } from './Panel';

mountPage((ctx) => <Panel issueKey={ctx.issueKey ?? 'this issue'} />);
