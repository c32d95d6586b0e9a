/** Entry of the project settings page (`jira:projectSettingsPage`). */
import { mountPage } from '../../shared/mount';
import { SettingsPage } from './SettingsPage';

mountPage((ctx) => <SettingsPage projectKey={ctx.projectKey ?? ''} />);
