// The version of a driver library as its Debian package states it, for `poolcheck list drivers`
// before any helper has started (a helper reports what it loaded once it runs).
import { spawnSync } from 'node:child_process';
import { TIMEOUT_MS } from '../kernel/timeouts.ts';

const known = new Map<string, string | undefined>();

/** The installed package's version ('4.15.0-4'), or undefined when it is not installed. */
export function debianPackageVersion(pkg: string): string | undefined {
  if (!known.has(pkg)) {
    const r = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status} ${Version}', pkg], { encoding: 'utf8', timeout: TIMEOUT_MS.packageCheck });
    const [status, version] = (r.status === 0 ? r.stdout : '').trim().split(' ');
    known.set(pkg, status === 'installed' && version ? version : undefined);
  }
  return known.get(pkg);
}

/**
 * The upstream part of a Debian version: without the epoch ("2:"), the Debian revision ("-4",
 * "-1+b1", "-1~deb12u1") and a repack suffix ("+dfsg1", "+ds1").
 * https://www.debian.org/doc/debian-policy/ch-controlfields.html#version
 */
export function upstreamVersion(debian: string): string {
  return debian
    .replace(/^\d+:/, '')
    .replace(/-[^-]*$/, '')
    .replace(/\+(dfsg|ds)\d*$/, '');
}

/**
 * Every installed Debian package whose name matches one of the patterns, with its version,
 * one a line: what a build depends on, for the build's hash (an apt upgrade means a new build).
 */
export function installedPackages(patterns: readonly string[]): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status} ${Package} ${Version}\n', ...patterns], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS.packageCheck,
  });
  return (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('installed '))
    .sort()
    .join('\n');
}
