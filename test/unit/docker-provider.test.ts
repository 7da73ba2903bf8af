// The parts of the docker provider that need no engine: image choice, container ownership,
// and the one-line answer when no engine runs.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { LABEL, ownerGone, ownerLabel, pingEngine } from '../../harness/targets/providers/docker-engine.ts';
import { builtImageTag, chooseImage, imageComponents, imageFolder, parseImageOverrides } from '../../harness/targets/providers/docker-images.ts';

describe('docker provider (no engine needed)', () => {
  it('has an image folder with a Dockerfile for PostgreSQL and every pooler', () => {
    expect(imageComponents()).to.include.members(['postgres', 'pgbouncer', 'pgpool']);
    for (const c of imageComponents()) expect(imageFolder(c), `docker/${c}/Dockerfile`).to.be.a('string');
  });

  it("runs poolcheck's own image unless --image names another", () => {
    const overrides = parseImageOverrides(['pgbouncer=registry.example/pgbouncer:1.24.1-rc1', 'postgres=postgres:16']);
    expect(chooseImage('pgbouncer', overrides, 'bookworm')).to.deep.equal({
      component: 'pgbouncer',
      ref: 'registry.example/pgbouncer:1.24.1-rc1',
      user: true,
    });
    expect(chooseImage('postgres', overrides, 'bookworm').ref).to.equal('postgres:16');
    expect(chooseImage('pgpool', overrides, 'bookworm')).to.deep.equal({
      component: 'pgpool',
      ref: builtImageTag('pgpool', 'bookworm'),
      user: false,
    });
  });

  it('rejects an --image for an unknown component or without an image', () => {
    expect(() => parseImageOverrides(['pgcat=x:1'])).to.throw(/unknown component "pgcat"; known: postgres, pgbouncer, pgpool/);
    expect(() => parseImageOverrides(['pgbouncer='])).to.throw(/expected <component>=<image>/);
  });

  it('owns containers by host, pid and process start time', () => {
    const mine = ownerLabel();
    expect(mine.startsWith(`${os.hostname()}/${process.pid}/`)).to.equal(true);
    expect(ownerGone(mine)).to.equal(false);
    // A pid that is gone, and a live pid whose start time differs (the pid was reused).
    const gone = spawnSync('true').pid;
    expect(ownerGone(`${os.hostname()}/${gone}/1`)).to.equal(true);
    expect(ownerGone(`${os.hostname()}/${process.pid}/1`)).to.equal(true);
    // Another machine's run on a shared engine is never judged from here.
    expect(ownerGone(`some-other-host/${gone}/1`)).to.equal(false);
    expect(ownerGone(undefined)).to.equal(false);
    expect(LABEL.run).to.equal('io.poolcheck.run');
  });

  it('answers in one line how to start an engine when none answers', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const r = await pingEngine(1000);
      expect(r.ok).to.equal(false);
      const message = r.ok ? '' : r.error.message;
      expect(message.split('\n')).to.have.length(1);
      expect(message).to.equal(
        'no Docker engine answers at /nonexistent/docker.sock (ENOENT): start one as root with `dockerd --bridge=none --iptables=false --ip6tables=false &` (apt-get install docker.io), or point DOCKER_HOST at one',
      );
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});
