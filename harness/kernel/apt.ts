// Installing Debian packages, as root, for what a run needs (a server, a driver's library).
import { spawnSync } from 'node:child_process';

export function aptInstall(packages: string[]): void {
  process.stderr.write(`poolcheck: installing Debian package(s) ${packages.join(' ')} (running as root; --no-install refuses)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt or dpkg (unattended upgrades, a second poolcheck) may hold dpkg's lock: wait for
  // it a while instead of failing at once.
  const lock = ['-o', 'DPkg::Lock::Timeout=120'];
  const install = () =>
    spawnSync('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install().status !== 0) {
    spawnSync('apt-get', [...lock, '-o', 'Acquire::Check-Valid-Until=false', 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (install().status !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed`);
  }
}
