/** Entry of the project settings page (`jira:projectSettingsPage`). */
// First: the settings form validates with the contract's schemas up front, so zod must be jitless before they exist.
import '../../shared/jitless';
import { mountPage } from '../../shared/mount';
import { SettingsPage } from './SettingsPage';

mountPage((ctx) => <SettingsPage projectKey={ctx.projectKey ?? ''} />);
