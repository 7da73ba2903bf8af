// Where the helper programs live, and the interpreters that run them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHIMS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shims');

// Debian's python3-psycopg and python3-asyncpg belong to Debian's own interpreter; a python3
// found first in PATH (pyenv, a venv) cannot import them.
export const DEBIAN_PYTHON = '/usr/bin/python3';

// Debian's interpreters and Rust toolchain, by path: ruby-pg, php8.2-pgsql and the librust-*-dev
// crates belong to them (a rustup toolchain first in PATH is another compiler than the one
// Debian's crates are packaged for).
export const DEBIAN_RUBY = '/usr/bin/ruby';
export const DEBIAN_PHP = '/usr/bin/php8.2';
export const DEBIAN_CARGO = '/usr/bin/cargo';
export const DEBIAN_RUSTC = '/usr/bin/rustc';

/** Debian's default JRE (default-jre-headless), else whatever `java` PATH has. */
export function javaBinary(): string {
  const debian = '/usr/lib/jvm/default-java/bin/java';
  return existsSync(debian) ? debian : 'java';
}

export function requireFile(file: string, hint: string): string {
  if (!existsSync(file)) throw new Error(`${file} not found (${hint})`);
  return file;
}
