import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCertificates } from '../src/certificates.js';

describe('simulator certificates', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('generates a CA and a localhost/127.0.0.1/::1 server certificate it signed, and reuses them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sim-certs-'));
    dirs.push(dir);
    const first = await ensureCertificates(dir);
    const ca = new X509Certificate(first.caPem);
    const server = new X509Certificate(first.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(first.caFile).toBe(path.join(dir, 'ca.pem'));
    const second = await ensureCertificates(dir);
    expect(second.caPem).toBe(first.caPem);
    expect(second.serverKeyPem).toBe(first.serverKeyPem);
  });
});
