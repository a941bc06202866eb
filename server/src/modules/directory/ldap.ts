import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, SizeLimitExceededError, type Entry } from 'ldapts';
import { normalizeDn } from './dn.js';
import { DirectoryError } from './errors.js';
import { escapeFilterValue } from './ldap-filter.js';

/** How to reach the directory and whom to search as (the password already decrypted). */
export interface DirectoryConnection {
  url: string;
  startTls: boolean;
  caCertPem: string;
  bindDn: string;
  bindPassword: string;
  timeoutMs: number;
}

/** Where and how users and their groups are found. */
export interface DirectorySchema {
  baseDn: string;
  /** Narrows the user search, e.g. `(objectClass=inetOrgPerson)`; the login condition is added to it. */
  userFilter: string;
  loginAttribute: string;
  displayNameAttribute: string;
  groupBaseDn: string;
  /** `{dn}` stands for the user's DN (filter-escaped), e.g. `(member={dn})`. */
  groupFilter: string;
  /** Matches a disabled account (base search on the user's entry), e.g. AD `(userAccountControl:1.2.840.113556.1.4.803:=2)`. */
  disabledFilter: string | null;
}

export interface DirectoryUser {
  dn: string;
  login: string;
  displayName: string;
  /** Normalised DNs of every group the group search returns for the user. */
  groups: string[];
  disabled: boolean;
}

export type FindResult = { found: 'none' } | { found: 'many' } | { found: 'one'; user: DirectoryUser };

export interface DirectorySession {
  findUser(login: string): Promise<FindResult>;
  /** True when the directory accepts the password for the DN (a bind on a connection of its own). */
  verifyPassword(dn: string, password: string): Promise<boolean>;
}

function firstString(entry: Entry, attribute: string): string | undefined {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** Connection and TLS failures: the directory is not reachable as configured, never a reason to let anybody in. */
function unavailable(error: unknown, what: string): DirectoryError {
  const e = error as { code?: unknown; message?: unknown };
  const detail = [typeof e.code === 'string' ? e.code : undefined, typeof e.message === 'string' ? e.message : undefined].filter(Boolean).join(': ');
  return new DirectoryError('DIRECTORY_UNAVAILABLE', `${what}: ${detail || 'no answer'}`);
}

async function open(conn: DirectoryConnection): Promise<Client> {
  const url = new URL(conn.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const tlsOptions: ConnectionOptions = {
    ca: [conn.caCertPem],
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    // The identity check uses `host`; for an IP literal it matches the certificate's IP addresses.
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
  // tlsOptions only for ldaps://: ldapts would otherwise start TLS at once on the ldap:// port too.
  const client = new Client({ url: conn.url, timeout: conn.timeoutMs, connectTimeout: conn.timeoutMs, strictDN: true, ...(url.protocol === 'ldaps:' ? { tlsOptions } : {}) });
  try {
    if (url.protocol === 'ldap:') {
      // Plain LDAP is refused when the configuration is saved; this is the second line.
      if (!conn.startTls) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'ldap:// without StartTLS is never used');
      await client.startTLS({ ...tlsOptions });
    }
  } catch (error) {
    await client.unbind().catch(() => undefined);
    if (error instanceof DirectoryError) throw error;
    throw unavailable(error, `cannot open a TLS connection to ${url.host}`);
  }
  return client;
}

async function close(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}

/**
 * Opens a connection (LDAPS, or LDAP upgraded by StartTLS before anything is sent), binds as the service
 * account and runs `fn`; the connection is closed afterwards whatever happens. Every failure is a
 * DirectoryError: DIRECTORY_UNAVAILABLE for network, TLS and timeouts, DIRECTORY_MISCONFIGURED for a
 * refused service account, a missing base DN or a filter the directory rejects.
 */
export async function withDirectory<T>(conn: DirectoryConnection, schema: DirectorySchema, fn: (session: DirectorySession) => Promise<T>): Promise<T> {
  const client = await open(conn);
  try {
    try {
      await client.bind(conn.bindDn, conn.bindPassword);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'the directory refused the service account (bind DN or password wrong)');
      throw classify(error, 'service account bind');
    }
    const session: DirectorySession = {
      findUser: (login) => findUser(client, schema, login),
      verifyPassword: (dn, password) => verifyPassword(conn, dn, password),
    };
    return await fn(session);
  } finally {
    await close(client);
  }
}

function classify(error: unknown, what: string): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof NoSuchObjectError) return new DirectoryError('DIRECTORY_MISCONFIGURED', `${what}: the base DN does not exist in the directory`);
  if (error instanceof ResultCodeError) return new DirectoryError('DIRECTORY_MISCONFIGURED', `${what}: the directory answered ${error.name} (${error.code}): ${error.message}`);
  // ldapts throws plain errors for filters it cannot parse.
  if (error instanceof Error && /filter|expression|escaped/i.test(error.message) && !('code' in error)) {
    return new DirectoryError('DIRECTORY_MISCONFIGURED', `${what}: the configured filter is not valid: ${error.message}`);
  }
  return unavailable(error, what);
}

async function findUser(client: Client, schema: DirectorySchema, login: string): Promise<FindResult> {
  const filter = `(&${schema.userFilter}(${schema.loginAttribute}=${escapeFilterValue(login)}))`;
  let entries: Entry[];
  try {
    ({ searchEntries: entries } = await client.search(schema.baseDn, {
      scope: 'sub',
      filter,
      sizeLimit: 2,
      attributes: [schema.loginAttribute, schema.displayNameAttribute],
    }));
  } catch (error) {
    if (error instanceof SizeLimitExceededError) return { found: 'many' };
    throw classify(error, 'user search');
  }
  if (entries.length === 0) return { found: 'none' };
  if (entries.length > 1) return { found: 'many' };
  const entry = entries[0] as Entry;
  const dn = entry.dn;
  const groups = await groupsOf(client, schema, dn);
  const disabled = schema.disabledFilter === null ? false : await matches(client, dn, schema.disabledFilter);
  return {
    found: 'one',
    user: {
      dn,
      login: (firstString(entry, schema.loginAttribute) ?? login).trim().toLowerCase(),
      displayName: (firstString(entry, schema.displayNameAttribute) ?? login).trim().slice(0, 200) || login,
      groups,
      disabled,
    },
  };
}

async function groupsOf(client: Client, schema: DirectorySchema, userDn: string): Promise<string[]> {
  const filter = schema.groupFilter.replaceAll('{dn}', escapeFilterValue(userDn));
  try {
    const { searchEntries } = await client.search(schema.groupBaseDn, { scope: 'sub', filter, attributes: ['1.1'], paged: { pageSize: 500 } });
    const groups = new Set<string>();
    for (const entry of searchEntries) groups.add(normalizeDn(entry.dn));
    return [...groups].sort();
  } catch (error) {
    throw classify(error, 'group search');
  }
}

async function matches(client: Client, dn: string, filter: string): Promise<boolean> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', filter, attributes: ['1.1'] });
    return searchEntries.length > 0;
  } catch (error) {
    throw classify(error, 'disabled-account check');
  }
}

async function verifyPassword(conn: DirectoryConnection, dn: string, password: string): Promise<boolean> {
  // A bind with an empty password is an anonymous bind (RFC 4513 §5.1.2) that many servers accept.
  if (password.length === 0) return false;
  const client = await open(conn);
  try {
    await client.bind(dn, password);
    return true;
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return false;
    throw classify(error, 'user bind');
  } finally {
    await close(client);
  }
}
