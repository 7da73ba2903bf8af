// A pooler's config rendered for unit tests as a provider renders it: fixed ports, folders and
// roles, and the settings' effective values for the mode and release (targets/target-settings.ts).
import type { PoolerAdapter, PoolerLaunch, RenderOptions } from '../harness/poolers/pooler-adapter.ts';
import { effectiveSettings } from '../harness/poolers/settings.ts';

export function renderFor(adapter: PoolerAdapter, change: Partial<RenderOptions> = {}): PoolerLaunch {
  const mode = change.mode ?? adapter.modes[0];
  return adapter.render({
    mode,
    port: 40001,
    dir: '/tmp/pc/run/t',
    laneDatabases: ['poolcheck'],
    pools: ['single', 'wide'],
    backend: { host: '127.0.0.1', port: 50002, database: 'poolcheck', user: 'poolcheck', password: 'pw-9f8e7d' },
    backendSecret: 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5',
    authRoles: { md5: 'pc_md5', trust: 'pc_trust' },
    lookup: { user: 'pc_observer', password: 'pw-9f8e7d' },
    tls: { cert: '/tmp/pc/run/t/server.crt', key: '/tmp/pc/run/t/server.key' },
    settings: {},
    effectiveSettings: effectiveSettings(adapter.settings, change.settings ?? {}, change.version ?? null, mode),
    ...change,
  });
}
