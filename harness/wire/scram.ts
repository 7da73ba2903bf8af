// SCRAM-SHA-256 client (RFC 5802 / RFC 7677) as PostgreSQL speaks it:
// https://www.postgresql.org/docs/current/sasl-authentication.html
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/**
 * Salted passwords already derived, by password, salt and iteration count: a role's salt never
 * changes, so poolcheck's thousands of logins (a stress run's hundreds at once) derive it once.
 * The exchange itself, nonces and proofs, is still done in full at every login.
 */
const derived = new Map<string, Promise<Buffer>>();
function saltedPassword(password: string, salt: string, iterations: number): Promise<Buffer> {
  const key = JSON.stringify([password, salt, iterations]);
  let salted = derived.get(key);
  if (!salted) {
    // A pooler that makes up a salt per login (pgpool) would only fill the map.
    if (derived.size >= 1000) derived.clear();
    salted = pbkdf2Async(password.normalize('NFKC'), Buffer.from(salt, 'base64'), iterations, 32, 'sha256');
    derived.set(key, salted);
    salted.catch(() => derived.delete(key));
  }
  return salted;
}

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';

/** PostgreSQL's own iteration count (scram_iterations' default); pgjdbc 42.5 refuses to log in with fewer. */
const SCRAM_ITERATIONS = 4096;

export interface ScramClient {
  readonly clientFirst: string;
  /**
   * Given the server-first message, returns the client-final message. The key derivation
   * (4096 PBKDF2 rounds) runs on libuv's thread pool, off the event loop every lane shares, once
   * per role and salt.
   */
  respond(serverFirst: string): Promise<string>;
  /** Throws unless the server-final message proves the server knew the password. */
  verify(serverFinal: string): void;
}

const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/**
 * PostgreSQL takes the role from the StartupMessage and ignores the SCRAM user name, so it is
 * sent empty as libpq does; `user` exists for the RFC 7677 test vector.
 */
export function scramClient(password: string, nonce = randomBytes(18).toString('base64'), user = ''): ScramClient {
  const clientFirstBare = `n=${user},r=${nonce}`;
  let serverSignature: Buffer | undefined;
  return {
    clientFirst: `n,,${clientFirstBare}`,
    async respond(serverFirst) {
      const attrs = attributes(serverFirst);
      const combinedNonce = attrs.get('r');
      const salt = attrs.get('s');
      const iterations = Number(attrs.get('i'));
      if (!combinedNonce || !combinedNonce.startsWith(nonce)) throw new Error('SCRAM: server nonce does not extend the client nonce');
      if (!salt || !Number.isInteger(iterations) || iterations < 1) throw new Error('SCRAM: server-first message lacks salt or iteration count');
      const salted = await saltedPassword(password, salt, iterations);
      const clientKey = hmac(salted, 'Client Key');
      const withoutProof = `c=biws,r=${combinedNonce}`;
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const signature = hmac(sha256(clientKey), authMessage);
      const proof = Buffer.alloc(clientKey.length);
      for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
      serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
      return `${withoutProof},p=${proof.toString('base64')}`;
    },
    verify(serverFinal) {
      const attrs = attributes(serverFinal);
      if (attrs.has('e')) throw new Error(`SCRAM: server reported ${attrs.get('e')}`);
      const v = Buffer.from(attrs.get('v') ?? '', 'base64');
      if (!serverSignature || v.length !== serverSignature.length || !timingSafeEqual(v, serverSignature)) {
        throw new Error('SCRAM: server signature does not match');
      }
    },
  };
}

/** The md5 password message: "md5" + md5(md5(password || user) || salt). */
export function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = createHash('md5')
    .update(password + user)
    .digest('hex');
  return (
    'md5' +
    createHash('md5')
      .update(Buffer.concat([Buffer.from(inner), salt]))
      .digest('hex')
  );
}

/**
 * The secret PostgreSQL stores for a SCRAM role (pg_authid.rolpassword), as `CREATE ROLE ...
 * PASSWORD` accepts it: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. Made
 * here, the role's password is SCRAM whatever password_encryption says.
 */
export function scramSecret(password: string, salt = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const b64 = (b: Buffer) => b.toString('base64');
  return `${SCRAM_MECHANISM}$${iterations}:${b64(salt)}$${b64(sha256(hmac(salted, 'Client Key')))}:${b64(hmac(salted, 'Server Key'))}`;
}
