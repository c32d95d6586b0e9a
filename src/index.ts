/**
 * Forge handlers — one export per `function` in manifest.yml.
 */
// resolvers
export { handler as resolver } from './handlers/resolvers';
// triggers
export { handler as onProductEvent } from './handlers/product-event';
// web triggers
export { handler as onPartnerWebhook } from './handlers/partner-webhook';
// consumers
export { handler as syncJob } from './handlers/sync-job';
export { handler as bulkJob } from './handlers/bulk-job';
// scheduled
export { handler as reconcile } from './handlers/reconcile';
export { handler as notifyDigest } from './handlers/notify-digest'; // notifications
