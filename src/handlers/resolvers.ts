/**
 * The `resolver` function of every Custom UI module: one Forge Resolver with the admin (settings page) and issue
 * (panel, glance) definitions. Every key of the contract's `Resolvers` is defined here.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import Resolver from '@forge/resolver';
import { Resolvers, type ResolverName } from '../contract';
import { adminResolvers } from './admin-resolvers';
import { bulkResolvers } from './bulk-resolvers';
import { conflictResolvers } from './conflict-resolvers';
import { existingResolvers } from './existing-resolvers';
import { fieldResolvers } from './field-resolvers';
import { issueResolvers } from './issue-resolvers';
import { mappingResolvers } from './mapping-resolvers';
import { healthResolvers } from './health-resolvers'; // health
import { notifyResolvers } from './notify-resolvers'; // notifications
import { hierarchyResolvers } from './hierarchy-resolvers'; // hierarchy
import { logResolvers } from './log-resolvers'; // log
import { linkTypeResolvers } from './link-type-resolvers'; // link types

const definitions: Record<ResolverName, (req: never) => Promise<unknown>> = {
  ...adminResolvers,
  ...mappingResolvers,
  ...issueResolvers,
  ...conflictResolvers,
  ...existingResolvers,
  ...fieldResolvers,
  ...bulkResolvers,
  ...healthResolvers, // health
  // notifications
  ...notifyResolvers,
  ...hierarchyResolvers, // hierarchy
  ...logResolvers, // log
  ...linkTypeResolvers, // link types
};

const resolver = new Resolver();
for (const name of Object.values(Resolvers)) resolver.define(name, definitions[name] as never);

export const handler = resolver.getDefinitions();
