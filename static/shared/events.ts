/**
 * Names of the Forge events (`@forge/bridge` `events.emit/on`) the pages send each other.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/events/
 */

/** Emitted by the panel after an action changed the link (enabled, paused, resumed, synced now, unlinked), so the glance re-reads it. */
export const LINK_CHANGED_EVENT = 'task-sync:link-changed';
