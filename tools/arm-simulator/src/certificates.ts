import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { generate } from 'selfsigned';

/** The simulator's TLS material: a private CA (what clients trust) and a localhost server certificate it signed. */
export interface SimulatorCertificates {
  readonly caFile: string;
  readonly caPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

const CA_CERT = 'ca.pem';
const CA_KEY = 'ca.key.pem';
const SERVER_CERT = 'server.pem';
const SERVER_KEY = 'server.key.pem';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
/** App endpoints answer as {site}.azurewebsites.net and Kudu as {site}.scm.azurewebsites.net (one wildcard label each). */
export const APP_SERVICE_HOST_NAMES = ['*.azurewebsites.net', '*.scm.azurewebsites.net'] as const;

/**
 * Loads the CA and server certificate from `dataDir`, generating them on first use. Reusing them matters: a
 * developer who exported NODE_EXTRA_CA_CERTS once keeps a working trust across restarts.
 */
export async function ensureCertificates(dataDir: string): Promise<SimulatorCertificates> {
  const caFile = path.resolve(dataDir, CA_CERT);
  const existing = await loadExisting(dataDir);
  if (existing !== undefined && coversAppServiceHosts(existing.serverCertPem)) return { caFile, ...existing };
  if (existing !== undefined) {
    // A certificate kept from before the app endpoints existed: reissue the server certificate under the same CA, so
    // a trust already exported (NODE_EXTRA_CA_CERTS) keeps working.
    const caKeyPem = await readFile(path.join(dataDir, CA_KEY), 'utf8').catch(() => undefined);
    if (caKeyPem !== undefined) {
      const server = await issueServerCertificate(caKeyPem, existing.caPem);
      await writeFile(path.join(dataDir, SERVER_KEY), server.private, { mode: 0o600 });
      await writeFile(path.join(dataDir, SERVER_CERT), server.cert);
      return { caFile, caPem: existing.caPem, serverCertPem: server.cert, serverKeyPem: server.private };
    }
  }

  await mkdir(dataDir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfterDate = new Date(Date.now() + TEN_YEARS_MS);
  const ca = await generate([{ name: 'commonName', value: 'ARM Simulator Local CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await issueServerCertificate(ca.private, ca.cert);
  // Keys are written owner-only; they never leave the data folder.
  await writeFile(path.join(dataDir, CA_KEY), ca.private, { mode: 0o600 });
  await writeFile(path.join(dataDir, SERVER_KEY), server.private, { mode: 0o600 });
  await writeFile(path.join(dataDir, SERVER_CERT), server.cert);
  await writeFile(caFile, ca.cert);
  return { caFile, caPem: ca.cert, serverCertPem: server.cert, serverKeyPem: server.private };
}

/** Whether a server certificate names the App Service host wildcards the app endpoints need. */
export function coversAppServiceHosts(serverCertPem: string): boolean {
  const names = (new X509Certificate(serverCertPem).subjectAltName ?? '').split(/,\s*/);
  return APP_SERVICE_HOST_NAMES.every((host) => names.includes(`DNS:${host}`));
}

function issueServerCertificate(caKeyPem: string, caCertPem: string): ReturnType<typeof generate> {
  return generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600 * 1000),
    notAfterDate: new Date(Date.now() + TEN_YEARS_MS),
    ca: { key: caKeyPem, cert: caCertPem },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          ...APP_SERVICE_HOST_NAMES.map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
}

async function loadExisting(
  dataDir: string,
): Promise<Omit<SimulatorCertificates, 'caFile'> | undefined> {
  try {
    const [caPem, serverCertPem, serverKeyPem] = await Promise.all([
      readFile(path.join(dataDir, CA_CERT), 'utf8'),
      readFile(path.join(dataDir, SERVER_CERT), 'utf8'),
      readFile(path.join(dataDir, SERVER_KEY), 'utf8'),
    ]);
    const ca = new X509Certificate(caPem);
    const server = new X509Certificate(serverCertPem);
    // Regenerate rather than serve a certificate clients will refuse.
    const expiresSoon = Date.parse(server.validTo) < Date.now() + 24 * 3600 * 1000;
    // Processes starting at once may interleave writes; a key that does not match its certificate is regenerated.
    if (!server.verify(ca.publicKey) || expiresSoon || !server.checkPrivateKey(createPrivateKey(serverKeyPem))) return undefined;
    return { caPem, serverCertPem, serverKeyPem };
  } catch {
    return undefined;
  }
}
