/**
 * Names of the Forge events (`@forge/bridge` `events.emit/on`) the pages send each other.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/events/
 */

/** Emitted by the panel after sync is enabled for an issue, so the glance re-reads the link. */
export const LINK_CHANGED_EVENT = 'task-sync:link-changed';
