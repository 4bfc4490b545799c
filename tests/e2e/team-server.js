/**
 * What the team end-to-end files share: a real PostgreSQL database (the runner starts these files
 * under `pg_virtualenv`, which exports PGHOST/PGPORT/PGUSER/PGPASSWORD), a real `srt-server`
 * process on 127.0.0.1 with a certificate made here by openssl, its join codes, and srt-admin
 * desks of the other team members (real encrypted files whose device tokens go into the same
 * Secret Service as the app's: the runner gives these files' processes its D-Bus session).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';

export function psql(db, sql) {
  return execFileSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function makeCerts(dir) {
  const run = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=SRT desk e2e CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
    '-days', '2', '-extfile', 'server.ext']);
}

/**
 * A fresh team database `dbName`, initialised, and `srt-server serve` on it. Resolves to
 * { base, caPath, dir, leadCode, invite(login, name, role = 'coordinator'), halt(), serve(), stop() }.
 */
export async function startTeamServer(dbName) {
  assert.ok(process.env.PGHOST, 'run inside pg_virtualenv (scripts/test does for the team files)');
  const bin = process.env.SRT_SERVER_BIN || join(dirname(process.env.SRT_DESK_BIN), 'srt-server');
  assert.ok(existsSync(bin), `srt-server is built beside the app (${bin})`);
  const dir = mkdtempSync(join(tmpdir(), 'srt-team-e2e-'));
  makeCerts(dir);
  psql('postgres', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  psql('postgres', `CREATE DATABASE ${dbName}`);
  const url = `host=${process.env.PGHOST} port=${process.env.PGPORT} user=${process.env.PGUSER} password=${process.env.PGPASSWORD} dbname=${dbName}`;
  const codeOf = (out) => out.split('\n').find((l) => l.startsWith('join code: ')).slice('join code: '.length);
  const leadCode = codeOf(execFileSync(bin, ['init', '--database-url', url], { encoding: 'utf8' }));
  const port = await freePort();
  let server = null;
  // `srt-server serve` on the port (again after a stop: the desks keep the address they joined).
  const serve = () => new Promise((resolve, reject) => {
    server = spawn(bin, ['serve', '--database-url', url, '--listen', `127.0.0.1:${port}`,
      '--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server.key')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('srt-server did not start listening')), 60_000);
    server.stdout.on('data', (chunk) => {
      // The server's log lines (ids and counts only), for reading a failure.
      if (process.env.SRT_E2E_SERVER_LOG) process.stderr.write(chunk);
      if (String(chunk).includes('"message":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const halt = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const gone = new Promise((resolve) => server.once('exit', resolve));
      server.kill();
      await gone;
    }
  };
  await serve();
  return {
    base: `https://127.0.0.1:${port}`,
    caPath: join(dir, 'ca.pem'),
    dir,
    leadCode,
    invite: (login, name, role = 'coordinator') => codeOf(execFileSync(bin, ['invite', '--database-url', url, '--name', name, '--login', login,
      '--role', role], { encoding: 'utf8' })),
    /** The server goes away (the desks are offline) and comes back on the same address. */
    halt,
    serve,
    async stop() {
      await halt();
      // The cluster of pg_virtualenv is dropped after the file: nobody may stay connected.
      try { psql('postgres', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`); } catch { /* already gone */ }
    },
  };
}

/**
 * Another member's desk on the command line: `srt-admin --db <dir>/<name>.db …` with a passphrase
 * of its own (a real encrypted file), its device token in the Secret Service the runner gave.
 * Returns run(...args) → stdout.
 */
export function adminDesk(dir, name) {
  const bin = process.env.SRT_ADMIN_BIN || join(dirname(process.env.SRT_DESK_BIN), 'srt-admin');
  assert.ok(existsSync(bin), `srt-admin is built beside the app (${bin})`);
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'the runner gives the team files a Secret Service (D-Bus session)');
  const db = join(dir, `${name}.db`);
  const env = { ...process.env, SRT_DESK_PASSPHRASE: `synthetic e2e passphrase of ${name}` };
  return (...args) => execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}
