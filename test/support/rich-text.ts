/**
 * Rich-text fixtures: one document holding every structure the sync must carry unchanged both ways (issue 9:
 * headings, bullet/ordered/task lists, code blocks with language, panels, tables with merged cells and header rows,
 * block quotes, rules, emoji, status, date, expand, inline cards, text marks and colours, decisions), built with
 * `@atlaskit/adf-utils` builders so it is valid ADF, and a mention of a given account.
 */
import * as b from '@atlaskit/adf-utils/builders';
import type { AdfDoc } from '../../src/model/types';

/** Every structure of the list above, with the `localId`s Jira's editor gives task and decision nodes. */
export function structureDoc(mention?: { id: string; text: string }): AdfDoc {
  const cell = (t: string, attrs?: Record<string, unknown>) => b.tableCell(attrs ?? {})(b.p(t));
  return b.doc(
    b.heading({ level: 1 })(b.text('Release checklist')),
    b.heading({ level: 3 })(b.text('Scope')),
    b.p(
      b.strong('bold'), b.text(' '), b.em('italic'), b.text(' '), b.underline('under'), b.text(' '), b.strike('gone'), b.text(' '),
      b.code('x = 1'), b.text(' '), b.link({ href: 'https://example.com/docs' })('a link'), b.text(' '),
      b.textColor({ color: '#ff5630' })('red text'), b.text(' '), b.subsup({ type: 'sup' })('2'), b.text(' and '),
      b.emoji({ shortName: ':smile:', id: '1f604', text: '😄' }), b.text(' '),
      b.status({ text: 'IN REVIEW', color: 'blue', localId: 'status-1' }), b.text(' due '),
      b.date({ timestamp: '1767225600000' }), b.text(' see '), b.inlineCard({ url: 'https://example.com/browse/X-1' }),
      ...(mention ? [b.text(' ask '), b.mention({ id: mention.id, text: mention.text, accessLevel: '' })] : []),
      b.hardBreak(), b.text('second line'),
    ),
    b.bulletList(b.listItem([b.p('one')]), b.listItem([b.p('two'), b.orderedList({ order: 3 })(b.listItem([b.p('nested three')]))])),
    b.orderedList({ order: 1 })(b.listItem([b.p('first')]), b.listItem([b.p('second')])),
    b.taskList({ localId: 'tl-1' })(b.taskItem({ localId: 'ti-1', state: 'DONE' })(b.text('write notes')), b.taskItem({ localId: 'ti-2', state: 'TODO' })(b.text('ship'))),
    b.decisionList({ localId: 'dl-1' })(b.decisionItem({ localId: 'di-1', state: 'DECIDED' })(b.text('We ship on Friday'))),
    b.codeBlock({ language: 'typescript' })(b.text('const answer: number = 42;\nconsole.log(answer);')),
    b.panel({ panelType: 'warning' } as Parameters<typeof b.panel>[0])(b.p('Mind the gap.')),
    {
      ...b.table(
        b.tableRow([b.tableHeader({})(b.p('Name')), b.tableHeader({})(b.p('Value')), b.tableHeader({})(b.p('Note'))]),
        b.tableRow([cell('merged across two', { colspan: 2 }), cell('tall', { rowspan: 2 })]),
        b.tableRow([cell('a'), cell('b', { background: '#deebff' })]),
      ),
      attrs: { isNumberColumnEnabled: false, layout: 'default' },
    },
    b.blockQuote(b.p('Quoted words.')),
    b.rule(),
    b.expand({ title: 'Details' })(b.p('Hidden until opened.'), b.codeBlock({ language: 'bash' })(b.text('npm test'))),
  ) as AdfDoc;
}
