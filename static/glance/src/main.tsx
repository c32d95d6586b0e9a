/** Entry of the glance page (`jira:issueGlance`, also mountable as `jira:issueContext`). */
import { mountPage } from '../../shared/mount';
import { Glance } from './Glance';

mountPage((ctx) => <Glance issueKey={ctx.issueKey} />);
