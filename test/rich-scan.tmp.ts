import { seedFromDump } from '../sandbox/jira/seed';
const seed = seedFromDump();
const walk = (n: any, key: string) => { if (n.type === 'mention' && !seed.users[n.attrs.id]) console.log(key, JSON.stringify(n.attrs)); (n.content ?? []).forEach((c: any) => walk(c, key)); };
for (const i of seed.issues) { if (i.description) walk(i.description, i.key); }
