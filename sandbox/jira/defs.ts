/**
 * Static configuration of the two emulated sites: workflows (statuses, transitions), issue types, priorities and
 * projects. The local site mirrors the dump's classic Jira Server setup (ids as in the dump); the partner site is a
 * fresh Jira Cloud project with its own ids, so status and priority mapping is exercised for real.
 */
import fs from 'node:fs';
import path from 'node:path';
import { localCustomFields, PARTNER_OFF_SCREEN, partnerCustomFields } from './custom-field-defs';
import type { IssueTypeDef, NamedRef, ProjectDef, SiteDefs, StatusDef, TransitionDef } from './types';

/** Where the real data lives (read in place). */
export const DATA_DIR = path.resolve(__dirname, '../../../shared/data');

const LOCAL_STATUSES: StatusDef[] = [
  { id: '1', name: 'Open', description: 'The issue is open and ready for the assignee to start work on it.', category: 'new' },
  { id: '3', name: 'In Progress', description: 'This issue is being actively worked on at the moment by the assignee.', category: 'indeterminate' },
  { id: '4', name: 'Reopened', description: 'This issue was once resolved, but the resolution was deemed incorrect.', category: 'new' },
  { id: '5', name: 'Resolved', description: 'A resolution has been taken, and it is awaiting verification by reporter.', category: 'done' },
  { id: '6', name: 'Closed', description: 'The issue is considered finished, the resolution is correct.', category: 'done' },
  { id: '10003', name: 'In Review', description: 'The change is in code review.', category: 'indeterminate' },
  { id: '10005', name: 'In QE Test', description: 'The change is being verified by quality engineering.', category: 'indeterminate' },
];

/**
 * Classic Jira workflow ids (4 Start Progress, 301 Stop Progress, 5 Resolve with its screen, 2 Close, 3 Reopen) plus
 * review steps and a screenless Quick Resolve, so every status stays reachable without a screen.
 */
const LOCAL_TRANSITIONS: TransitionDef[] = [
  { id: '4', name: 'Start Progress', from: ['1', '4'], to: '3' },
  { id: '301', name: 'Stop Progress', from: ['3'], to: '1' },
  { id: '5', name: 'Resolve Issue', from: ['1', '3', '4', '10005'], to: '5', screen: ['resolution', 'fixVersions', 'assignee'] },
  // The screenless twin of Resolve Issue: what unattended clients (the app) can take to reach Resolved.
  { id: '741', name: 'Quick Resolve', from: ['1', '3', '4', '10005'], to: '5' },
  { id: '2', name: 'Close Issue', from: ['1', '3', '4', '5', '10003', '10005'], to: '6' },
  { id: '3', name: 'Reopen Issue', from: ['5', '6'], to: '4' },
  { id: '711', name: 'Send to Review', from: ['3'], to: '10003' },
  { id: '721', name: 'Send to QE', from: ['10003'], to: '10005' },
  { id: '731', name: 'Back to In Progress', from: ['10003', '10005'], to: '3' },
];

const LOCAL_PRIORITIES = [
  { id: '1', name: 'Critical', description: 'Crashes, loss of data, severe memory leak.', statusColor: '#cc0000', iconName: 'critical.svg' },
  { id: '2', name: 'High', description: 'Major loss of function.', statusColor: '#ff0000', iconName: 'high.svg' },
  { id: '3', name: 'Medium', description: 'Minor loss of function, or other problem where easy workaround is present.', statusColor: '#009900', iconName: 'medium.svg' },
  { id: '4', name: 'Low', description: 'Cosmetic problem like misspelt words or misaligned text.', statusColor: '#006600', iconName: 'low.svg' },
  { id: '5', name: 'Trivial', description: 'Trivial problem with little or no impact on progress.', statusColor: '#003300', iconName: 'trivial.svg' },
  { id: '6', name: 'None', description: 'Not prioritised yet.', statusColor: '#cccccc', iconName: 'lowest.svg' },
];

/** Jira Cloud's default priorities. */
const CLOUD_PRIORITIES = [
  { id: '1', name: 'Highest', description: 'This problem will block progress.', statusColor: '#d04437', iconName: 'highest.svg' },
  { id: '2', name: 'High', description: 'Serious problem that could block progress.', statusColor: '#f15C75', iconName: 'high.svg' },
  { id: '3', name: 'Medium', description: 'Has the potential to affect progress.', statusColor: '#f79232', iconName: 'medium.svg' },
  { id: '4', name: 'Low', description: 'Minor problem or easily worked around.', statusColor: '#707070', iconName: 'low.svg' },
  { id: '5', name: 'Lowest', description: 'Trivial problem with little or no impact on progress.', statusColor: '#999999', iconName: 'lowest.svg' },
];

/** The resolutions the dump's issues carry (ids, names and descriptions as there). */
const LOCAL_RESOLUTIONS = [
  { id: '1', name: 'Fixed', description: 'A fix for this issue is checked into the tree and tested.' },
  { id: '2', name: "Won't Fix", description: 'The problem described is an issue which will never be fixed.' },
  { id: '3', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  { id: '5', name: 'Cannot Reproduce', description: 'All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue. Reading the code produces no clues as to why this behavior would occur. If more information appears later, please reopen the issue.' },
  { id: '6', name: 'Hold', description: '' },
  { id: '7', name: 'Invalid', description: '' },
  { id: '8', name: 'Needs more info', description: '' },
  { id: '11', name: 'Not Our Bug', description: 'Is not a bug in our product' },
  { id: '10000', name: 'Done', description: '' },
  { id: '10100', name: "Won't Do", description: "This issue won't be actioned." },
];

/** Jira Cloud's default resolutions (ids and names as a new site's `allowedValues` list them). */
const CLOUD_RESOLUTIONS = [
  { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
  { id: '10001', name: "Won't Do", description: "This issue won't be actioned." },
  { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
  { id: '10003', name: 'Cannot Reproduce', description: 'All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue. Reading the code produces no clues as to why this behavior would occur. If more information appears later, please reopen the issue.' },
];

interface DumpProject {
  id: string;
  key: string;
  name: string;
  description?: string;
  components: NamedRef[];
  versions: NamedRef[];
  issueTypes: Array<IssueTypeDef & { description?: string }>;
}

function readProject(key: string): DumpProject {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'issues', `project-${key}.json`), 'utf8'));
}

const pickRef = (r: NamedRef): NamedRef => {
  const out: NamedRef = { id: r.id, name: r.name };
  for (const k of ['description', 'archived', 'released', 'releaseDate'] as const) if (r[k] !== undefined) (out as any)[k] = r[k];
  return out;
};

/**
 * Local site: projects ALOY, DAEMON, MOD from `issues/project-*.json`, the dump's statuses, priorities and issue types.
 * @throws if the project metadata files are missing
 */
export function localDefs(): SiteDefs {
  const dump = ['ALOY', 'DAEMON', 'MOD'].map(readProject);
  const types = new Map<string, IssueTypeDef>();
  for (const p of dump) {
    for (const t of p.issueTypes) types.set(t.id, { id: t.id, name: t.name, description: t.description ?? '', subtask: !!t.subtask, ...(t.name === 'Epic' ? { hierarchyLevel: 1 } : {}) }); // hierarchy: epics sit above
  }
  return {
    statuses: LOCAL_STATUSES,
    transitions: LOCAL_TRANSITIONS,
    issueTypes: [...types.values()],
    priorities: LOCAL_PRIORITIES,
    projects: dump.map((p) => ({
      // MOD's screens leave out the URL field: setting it there is refused like an off-screen field in Jira.
      ...(p.key === 'MOD' ? { offScreenFields: localCustomFields().filter((f) => f.type === 'url').map((f) => f.id) } : {}),
      // The classic default issue type scheme of the dump's Server site makes Bug the default.
      defaultIssueTypeId: '1',
      id: p.id,
      key: p.key,
      name: p.name,
      description: p.description ?? '',
      issueTypeIds: p.issueTypes.map((t) => t.id),
      components: p.components.map(pickRef),
      versions: p.versions.map(pickRef),
    })),
    doneResolution: LOCAL_RESOLUTIONS[0],
    resolutions: LOCAL_RESOLUTIONS,
    customFields: localCustomFields(),
  };
}

/**
 * PARTNER's components and versions: some share a name with ALOY's (Documentation, Runtime, Alloy 2.0.0,
 * Alloy 1.5.0), with the partner's own ids; the rest exist on the partner only.
 */
export const PARTNER_COMPONENTS: NamedRef[] = [
  { id: '10100', name: 'Documentation', description: 'Guides and API docs' },
  { id: '10101', name: 'Runtime' },
  { id: '10102', name: 'Partner Portal', description: 'The partner-facing portal' },
];
export const PARTNER_VERSIONS: NamedRef[] = [
  { id: '10200', name: 'Alloy 1.5.0', archived: false, released: true, releaseDate: '2014-09-15' },
  { id: '10201', name: 'Alloy 2.0.0', archived: false, released: false },
  { id: '10202', name: 'Partner 2026.1', archived: false, released: false, releaseDate: '2026-03-31' },
];

/**
 * Partner site: one empty Jira Cloud project PARTNER (and a second one, OPS, for a second connection) with a three-status workflow (global Reopen, a Close with a
 * screen beside the screenless Close), Cloud's default priorities, Task as its default issue type, two issue types
 * the local site lacks (Spike, and Cloud's Subtask), components and versions partly named as ALOY's, and its own
 * custom fields, one of them (`Cc`) off PARTNER's screens.
 */
export function partnerDefs(): SiteDefs {
  const project: ProjectDef = {
    id: '10000',
    key: 'PARTNER',
    name: 'Partner',
    description: 'Partner team project',
    issueTypeIds: ['10001', '10002', '10003', '10004', '10005', '10006'], // hierarchy: 10006 Epic
    defaultIssueTypeId: '10001',
    components: PARTNER_COMPONENTS,
    versions: PARTNER_VERSIONS,
    offScreenFields: [PARTNER_OFF_SCREEN],
  };
  return {
    statuses: [
      { id: '10000', name: 'Open', description: '', category: 'new' },
      { id: '10001', name: 'Working', description: '', category: 'indeterminate' },
      { id: '10002', name: 'Closed', description: '', category: 'done' },
    ],
    transitions: [
      { id: '11', name: 'Start work', from: ['10000'], to: '10001' },
      { id: '21', name: 'Stop work', from: ['10001'], to: '10000' },
      { id: '31', name: 'Close', from: ['10000', '10001'], to: '10002' },
      { id: '51', name: 'Close with resolution', from: ['10000', '10001'], to: '10002', screen: ['resolution', 'assignee'] },
      // "All statuses can transition to Open": a global transition, listed last so Stop work stays the usual way back.
      { id: '41', name: 'Reopen', from: [], to: '10000', global: true },
    ],
    issueTypes: [
      { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', subtask: false },
      { id: '10002', name: 'Bug', description: 'A problem or error.', subtask: false },
      { id: '10003', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', subtask: false },
      { id: '10004', name: 'Spike', description: 'A time-boxed investigation.', subtask: false },
      { id: '10005', name: 'Subtask', description: 'A small piece of work that is part of a larger task.', subtask: true },
      // hierarchy: Cloud's Epic, parent of company-managed stories and tasks through the `parent` field
      { id: '10006', name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false, hierarchyLevel: 1 },
    ],
    priorities: CLOUD_PRIORITIES,
    // OPS: a second partner project (same workflow and schemes), so one local project can hold two connections.
    projects: [project, { ...project, id: '10001', key: 'OPS', name: 'Operations', description: 'Partner operations project', offScreenFields: [] }],
    doneResolution: CLOUD_RESOLUTIONS[0],
    resolutions: CLOUD_RESOLUTIONS,
    customFields: partnerCustomFields(),
  };
}

/**
 * A project's issue type ids with the default first, the order Jira lists them in the project's `issueTypes` and
 * in createmeta.
 */
export function projectIssueTypeIds(p: ProjectDef): string[] {
  const d = p.defaultIssueTypeId ?? p.issueTypeIds[0];
  return [d, ...p.issueTypeIds.filter((id) => id !== d)];
}

/** First status of a project's workflow (where new issues start). */
export function initialStatusId(defs: SiteDefs): string {
  return defs.statuses[0].id;
}
