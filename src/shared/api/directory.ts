import { Type, type Static } from 'typebox';
import { PermissionName } from './auth.js';

const Dn = Type.String({ minLength: 1, maxLength: 1024 });
const Filter = Type.String({ minLength: 3, maxLength: 1024 });
const AttributeName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9-]{0,63}$' });

/** The tenant's directory for sign-in (PUT). The service account's password is write-only. */
export const DirectoryConfigRequest = Type.Object(
  {
    enabled: Type.Boolean(),
    /** ldaps://host[:port] or ldap://host[:port] with startTls: true; plain LDAP is refused. */
    url: Type.String({ pattern: '^ldaps?://[^/?#\\s]+/?$', maxLength: 300 }),
    startTls: Type.Boolean(),
    /** PEM of the CA (or CAs) that issued the directory server's certificate. */
    caCertPem: Type.String({ minLength: 50, maxLength: 65536 }),
    bindDn: Dn,
    /** Required the first time; omitted later, the stored password is kept. */
    bindPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    baseDn: Dn,
    userFilter: Filter,
    loginAttribute: AttributeName,
    displayNameAttribute: AttributeName,
    groupBaseDn: Dn,
    /** `{dn}` is replaced by the user's DN, filter-escaped: e.g. `(member={dn})`. */
    groupFilter: Filter,
    /** Matches a disabled account, e.g. `(userAccountControl:1.2.840.113556.1.4.803:=2)` in Active Directory. */
    disabledFilter: Type.Union([Filter, Type.Null()]),
    timeoutMs: Type.Integer({ minimum: 500, maximum: 60_000 }),
  },
  { additionalProperties: false },
);
export type DirectoryConfigRequest = Static<typeof DirectoryConfigRequest>;

export const DirectoryConfigView = Type.Object({
  enabled: Type.Boolean(),
  url: Type.String(),
  startTls: Type.Boolean(),
  caCertPem: Type.String(),
  bindDn: Type.String(),
  bindPasswordSet: Type.Boolean(),
  baseDn: Type.String(),
  userFilter: Type.String(),
  loginAttribute: Type.String(),
  displayNameAttribute: Type.String(),
  groupBaseDn: Type.String(),
  groupFilter: Type.String(),
  disabledFilter: Type.Union([Type.String(), Type.Null()]),
  timeoutMs: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type DirectoryConfigView = Static<typeof DirectoryConfigView>;

/** GET and PUT answer: `config` is null while the tenant has no directory. */
export const DirectoryConfigResponse = Type.Object({ config: Type.Union([DirectoryConfigView, Type.Null()]) });
export type DirectoryConfigResponse = Static<typeof DirectoryConfigResponse>;

export const GroupMapping = Type.Object(
  {
    groupDn: Dn,
    permissions: Type.Array(PermissionName, { maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);

/** The whole mapping (PUT replaces it). Group DNs are stored normalised (RFC 4514, lower case). */
export const GroupMappingsRequest = Type.Object({ mappings: Type.Array(GroupMapping, { maxItems: 500 }) }, { additionalProperties: false });
export type GroupMappingsRequest = Static<typeof GroupMappingsRequest>;

export const GroupMappingsView = Type.Object({
  mappings: Type.Array(Type.Object({ groupDn: Type.String(), permissions: Type.Array(Type.String()) })),
});
export type GroupMappingsView = Static<typeof GroupMappingsView>;

export const DirectorySyncReport = Type.Object({
  checked: Type.Integer(),
  disabled: Type.Integer(),
  enabled: Type.Integer(),
  rightsChanged: Type.Integer(),
});
export type DirectorySyncReport = Static<typeof DirectorySyncReport>;
