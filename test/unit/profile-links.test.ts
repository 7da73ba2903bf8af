// What a profile points a reader at must be there: every link of an entry, of a published
// feature map and of a case's known issue is an https URL of a host we cite, a GitHub link names
// an issue, a pull request or a file we checked, a pgbouncer docs link a page (and anchor) that
// exists; and every source file a comment under harness/poolers/ or suites/cases/ cites is one
// we found in that project's tree at the commit named here. A path or anchor that is not in
// these lists is not wrong yet, only unchecked: look it up in the project and add it here.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { externalPoolers } from '../../harness/poolers/external-poolers.ts';
import type { Profile } from '../../harness/poolers/profile.ts';
import { poolers } from '../../harness/poolers/registry.ts';
import { loadCatalog } from '../../harness/scenario/catalog.ts';
import { ROOT } from '../root.ts';

/** Hosts a profile may cite: the poolers' and PostgreSQL's documentation, trackers, and drivers' docs. */
const HOSTS = [
  'github.com',
  'www.postgresql.org',
  'www.pgbouncer.org',
  'www.pgpool.net',
  'docs.yugabyte.com',
  'help.aliyun.com',
  'www.alibabacloud.com',
  'magicstack.github.io',
];

/**
 * Pages of www.pgbouncer.org (built from pgbouncer/pgbouncer.github.io and doc/*.md of
 * pgbouncer/pgbouncer), with the anchors checked against their headings: "### max_prepared_statements"
 * is #max_prepared_statements, "#### RECONNECT [db]" is #reconnect-db.
 */
const PGBOUNCER_PAGES: Readonly<Record<string, readonly string[]>> = {
  '/features.html': [],
  '/changelog.html': [],
  '/faq.html': [],
  '/config.html': ['client_tls_ca_file', 'ignore_startup_parameters', 'max_prepared_statements', 'pool_mode', 'track_extra_parameters'],
  '/usage.html': ['reconnect-db', 'show-pools'],
};

/** Where each verified path was found: the project and the commit of the tree that has it. */
interface Verified {
  readonly repo: string;
  readonly commit: string;
}

const PGBOUNCER: Verified = { repo: 'pgbouncer/pgbouncer', commit: '13a344f2625381296fc02e29b986a11be9c6b983' };
const PGPOOL: Verified = { repo: 'pgpool/pgpool2', commit: '243463af09513be0413f52917a1045836f50f339' };
/** Odyssey master; each path is also in the tree of REL_1_5_2 (cdff3ad30f3bec49c50adfd15f7689bc6dfa42fa). */
const ODYSSEY: Verified = { repo: 'yandex/odyssey', commit: '89c48ea25ccb633237fb5caa48040a00b7deb7a3' };

/** Source and documentation files cited by path, each checked to exist in its project. */
const VERIFIED_PATHS: Readonly<Record<string, Verified>> = {
  'src/prepare.c': PGBOUNCER,
  'src/loader.c': PGBOUNCER,
  'lib/usual/cfparser.c': PGBOUNCER,
  'src/protocol/child.c': PGPOOL,
  'src/protocol/pool_connection_pool.c': PGPOOL,
  'src/protocol/pool_proto_modules.c': PGPOOL,
  'src/auth/pool_auth.c': PGPOOL,
  'sources/sighandler.c': ODYSSEY,
  'sources/include/parser.h': ODYSSEY,
  // kiwi_var_set marks a variable set before refusing a value over KIWI_MAX_VAR_SIZE (read at 0199d057).
  'third_party/kiwi/kiwi/var.h': { repo: 'yandex/odyssey', commit: '0199d057c315b81c69f27314e402d8191383ae30' },
  'docs/features/pooling.md': ODYSSEY,
  'docs/configuration/rules.md': ODYSSEY,
  'docs/configuration/global.md': ODYSSEY,
  'docs/configuration/listen.md': { repo: 'yandex/odyssey', commit: '24c965b485d6a865f0b9639f25a4f306de234497' },
  'src/backend/tcop/postgres.c': { repo: 'postgres/postgres', commit: '9d9b9d46f3c509c722ebbf2a1e7dc6296a6c711d' },
  'docs/content/stable/additional-features/connection-manager-ysql/ycm-setup.md': {
    repo: 'yugabyte/yugabyte-db',
    commit: '0bf70664a3b43638ead2e10867ec5370f207ca64',
  },
};

const profiles: ReadonlyArray<readonly [string, Profile]> = [
  ...Object.values(poolers).map((a) => [a.id, a.profile] as const),
  ...Object.values(externalPoolers).map((p) => [p.id, p.profile] as const),
];

/** Every link a reader of a report may follow, with where it comes from. */
async function links(): Promise<Array<{ readonly where: string; readonly link: string }>> {
  const out: Array<{ where: string; link: string }> = [];
  for (const [id, profile] of profiles) {
    for (const [mode, entries] of Object.entries(profile.modes))
      for (const e of entries) out.push({ where: `${id} ${mode} "${e.reason.slice(0, 50)}"`, link: e.link });
    for (const m of profile.publishedFeatureMaps ?? []) out.push({ where: `${id} published feature map`, link: m.link });
  }
  for (const s of (await loadCatalog()).scenarios) for (const k of s.known ?? []) out.push({ where: `${s.id} known (${k.pooler})`, link: k.link });
  return out;
}

/** The problem of one link, or undefined. */
function linkProblem(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'not https';
  if (!HOSTS.includes(url.hostname)) return `host ${url.hostname} is not one profiles cite (${HOSTS.join(', ')})`;
  if (url.search) return 'has a query string';
  if (url.hostname === 'github.com') {
    const issue = /^\/[\w.-]+\/[\w.-]+\/(issues|pull)\/[1-9]\d*$/.test(url.pathname);
    const commit = /^\/[\w.-]+\/[\w.-]+\/commit\/[0-9a-f]{40}$/.test(url.pathname);
    const blob = /^\/([\w.-]+\/[\w.-]+)\/blob\/[\w.-]+\/(.+)$/.exec(url.pathname);
    if (!issue && !commit && !blob)
      return 'a GitHub link must be owner/repo/issues/N, owner/repo/pull/N, owner/repo/commit/SHA (40 digits) or owner/repo/blob/REF/PATH';
    if (issue && url.hash) return 'an issue or pull request link without an anchor';
    if (blob && VERIFIED_PATHS[blob[2]]?.repo !== blob[1]) return `${blob[1]}: ${blob[2]} is not a verified path of that repository`;
  }
  if (url.hostname === 'www.pgbouncer.org') {
    const anchors = PGBOUNCER_PAGES[url.pathname];
    if (!anchors) return `${url.pathname} is not a page of www.pgbouncer.org (${Object.keys(PGBOUNCER_PAGES).join(', ')})`;
    if (url.hash && !anchors.includes(url.hash.slice(1))) return `${url.pathname} has no checked anchor ${url.hash}`;
  }
  return undefined;
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(p) ? [p] : [];
  });
}

/** A repository path in running text: segments with a slash, ending in a source or doc file; not inside a URL. */
const CITED_PATH = /(?<![\w/.:-])((?:[\w.-]+\/)+[\w.-]+\.(?:c|h|md|sgml|sql|py))(?![\w/])/g;

/** Comment text of a TypeScript or YAML file (// and block comments; # lines). */
function comments(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.yaml'))
    return text
      .split('\n')
      .filter((l) => /^\s*#/.test(l))
      .join('\n');
  return [...text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].map((m) => m[0]).join('\n');
}

describe('profile links and cited paths', () => {
  it('every link of a profile, a published feature map and a known issue is well-formed and points where we checked', async () => {
    const all = await links();
    expect(all.length).to.be.greaterThan(40);
    expect(
      all.flatMap(({ where, link }) => {
        const p = linkProblem(link);
        return p ? [`${where}: ${link}: ${p}`] : [];
      }),
    ).to.deep.equal([]);
  });

  it('tells a malformed link from a good one', () => {
    expect(linkProblem('https://github.com/pgpool/pgpool2/issues/172')).to.equal(undefined);
    expect(linkProblem('https://github.com/pgbouncer/pgbouncer/pull/879')).to.equal(undefined);
    expect(linkProblem('https://www.pgbouncer.org/config.html#max_prepared_statements')).to.equal(undefined);
    expect(linkProblem('http://www.pgbouncer.org/features.html')).to.match(/not https/);
    expect(linkProblem('https://github.com/pgpool/pgpool2/issues')).to.match(/GitHub link/);
    expect(linkProblem('https://github.com/pgpool/pgpool2/issue/172')).to.match(/GitHub link/);
    expect(linkProblem('https://github.com/yandex/odyssey/blob/master/docs/nowhere.md')).to.match(/not a verified path/);
    expect(linkProblem('https://www.pgbouncer.org/pooling.html')).to.match(/not a page/);
    expect(linkProblem('https://www.pgbouncer.org/config.html#max_prepared_statement')).to.match(/no checked anchor/);
    expect(linkProblem('https://example.com/x')).to.match(/host example.com/);
  });

  it('every source path a comment under harness/poolers or suites/cases cites is verified, and every verified path is cited', () => {
    const cited = new Map<string, string>();
    for (const f of [...files(path.join(ROOT, 'harness', 'poolers'), /\.ts$/), ...files(path.join(ROOT, 'suites', 'cases'), /\.yaml$/)]) {
      for (const m of comments(f).matchAll(CITED_PATH)) cited.set(m[1], path.relative(ROOT, f));
    }
    const linked = new Set(
      profiles
        .flatMap(([, p]) =>
          Object.values(p.modes)
            .flat()
            .map((e) => e.link),
        )
        .concat(profiles.flatMap(([, p]) => (p.publishedFeatureMaps ?? []).map((m) => m.link))),
    );
    const inLinks = [...linked].flatMap((l) => {
      const m = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[\w.-]+\/([^#]+)/.exec(l);
      return m ? [m[1]] : [];
    });
    expect([...cited].filter(([p]) => !VERIFIED_PATHS[p]).map(([p, f]) => `${f}: ${p}`)).to.deep.equal([]);
    expect(Object.keys(VERIFIED_PATHS).filter((p) => !cited.has(p) && !inLinks.includes(p))).to.deep.equal([]);
  });
});
