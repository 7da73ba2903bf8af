// The options that choose the provider and its targets (poolcheck run and fuzz), read into the
// plain record the run takes (run/provider-choice.ts), which knows nothing of the option table.
import { poolerIds } from '../poolers/registry.ts';
import type { ProviderOptions } from '../run/provider-choice.ts';
import type { Options } from './args.ts';
import { OPTIONS } from './options.ts';

export function providerOptions(o: Options): ProviderOptions {
  const poolerBinaries: Record<string, string> = {};
  for (const id of poolerIds) {
    const bin = o.get(`${id}-bin`);
    if (bin) poolerBinaries[id] = bin;
  }
  return {
    kind: o.get('provider'),
    providerOnly: o.givenNames().flatMap((option) => {
      const provider = OPTIONS[option].provider;
      return provider ? [{ option, provider }] : [];
    }),
    targets: o.get('targets'),
    targetsNamed: o.has('targets'),
    onCommandLine: { targets: o.given('targets'), lanes: o.given('lanes') },
    allowInstall: !o.get('no-install'),
    local: { pgBinDir: o.get('pg-bindir'), poolerBinaries },
    docker: { suite: o.get('suite'), images: o.get('image') },
    external: {
      pooler: o.get('external-pooler'),
      pooled: o.get('external-pooled'),
      direct: o.get('external-direct'),
      single: o.get('external-single'),
      admin: o.get('external-admin'),
      passwordEnv: o.get('password-env'),
      passwordFile: o.get('password-file'),
    },
  };
}
