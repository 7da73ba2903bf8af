// How the tokio-postgres helper is built: Debian's cargo and rustc, offline, from the crate
// sources Debian's librust-*-dev packages put under /usr/share/cargo/registry (a cargo source
// replacement for crates.io, which is never asked). The compiled dependencies are kept in one
// target folder beside the built helpers, so a change of the helper recompiles only itself.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { helperCacheDir, type HelperBuild } from './compiled-helper.ts';
import { installedPackages } from './debian-version.ts';
import { DEBIAN_CARGO, DEBIAN_RUSTC, SHIMS_DIR } from './shim-path.ts';

const REGISTRY = '/usr/share/cargo/registry';
const PROJECT = path.join(SHIMS_DIR, 'rust');

/** The crates shims/rust/Cargo.toml names, as Debian packages (librust-tokio-dev provides the tokio features used). */
export const TOKIO_POSTGRES_CRATES = [
  'librust-tokio-postgres-dev',
  'librust-tokio-dev',
  'librust-futures-util-dev',
  'librust-bytes-dev',
  'librust-serde-json-dev',
];
const CRATE_DIRS = ['tokio-postgres-0.7.', 'tokio-1.', 'futures-util-0.3.', 'bytes-1.', 'serde_json-1.'];

export function tokioPostgresCratesPresent(): boolean {
  if (!existsSync(REGISTRY)) return false;
  const dirs = readdirSync(REGISTRY);
  return CRATE_DIRS.every((prefix) => dirs.some((d) => d.startsWith(prefix)));
}

export const tokioPostgresBuild: HelperBuild = {
  id: 'tokio-postgres-helper',
  sources: ['Cargo.toml', 'build.rs', 'src/main.rs', 'src/text.rs'].map((f) => path.join(PROJECT, f)),
  fingerprint: () => installedPackages(['rustc', 'cargo', 'librust-*']),
  binary: 'tokio-postgres-helper',
  steps: (out) => {
    const target = path.join(helperCacheDir(), 'cargo-target');
    return [
      // The project is copied so that cargo's lock file is written there, not into the sources.
      { command: 'cp', args: ['-R', `${PROJECT}/.`, path.join(out, 'project')] },
      {
        command: DEBIAN_CARGO,
        args: [
          'build',
          '--release',
          '--offline',
          '--quiet',
          '--manifest-path',
          path.join(out, 'project', 'Cargo.toml'),
          '--config',
          'source.crates-io.replace-with="debian-registry"',
          '--config',
          `source.debian-registry.directory="${REGISTRY}"`,
        ],
        // Debian's rustc, whatever rustup put first in PATH; cargo's own files beside the cache.
        env: { RUSTC: DEBIAN_RUSTC, CARGO_HOME: path.join(helperCacheDir(), 'cargo-home'), CARGO_TARGET_DIR: target },
      },
      { command: 'cp', args: [path.join(target, 'release', 'tokio-postgres-helper'), path.join(out, 'tokio-postgres-helper')] },
    ];
  },
};
