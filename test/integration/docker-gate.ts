// Whether this test run includes the docker tests. CI sets POOLCHECK_DOCKER_TESTS=1 (after
// docker/ci-setup.sh started an engine and built the images), and then a missing engine fails
// the tests. Without it they are skipped, and the skipped test's title says why.
import { pingEngine } from '../../harness/targets/providers/docker-engine.ts';

export type DockerGate = { readonly run: true } | { readonly run: false; readonly reason: string };

export async function dockerGate(): Promise<DockerGate> {
  if (process.env.POOLCHECK_DOCKER_TESTS === '1') return { run: true };
  const ping = await pingEngine();
  return {
    run: false,
    reason: ping.ok
      ? 'a Docker engine answers, but POOLCHECK_DOCKER_TESTS=1 is not set (run `poolcheck images bootstrap && poolcheck images build` first)'
      : `${ping.error.message}; then set POOLCHECK_DOCKER_TESTS=1`,
  };
}
