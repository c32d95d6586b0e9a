/** Entry of the Jira admin page (`jira:adminPage`): Task sync health of every connection on the site. */
import { mountPage } from '../../shared/mount';
import { AdminPage } from './AdminPage';

mountPage(() => <AdminPage />);
