import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { UserView } from '../../../../shared/api/users.js';
import type { Permission } from '../../../../shared/domain/permissions.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { filterRows } from '../../../lib/list-tools.js';
import { formatInstant } from '../../../lib/office-format.js';
import { lockedRights } from '../rights.js';
import type { AdminStore } from '../store.js';
import { OneTimePassword } from './OneTimePassword.js';
import { RightsPicker, useRightLabel } from './RightsPicker.js';

const NEW_LOGIN_ID = 'admin-new-user-login';

export interface UsersPanelProps {
  readonly store: AdminStore;
  readonly grantable: readonly Permission[];
  readonly searchId: string;
}

export function UsersPanel({ store, grantable, searchId }: UsersPanelProps) {
  const { t } = useI18n();
  const users = useStore(store, (s) => s.users);
  const oneTime = useStore(store, (s) => s.oneTime);
  const selectedId = useStore(store, (s) => s.selectedUserId);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterRows(users, query, (u) => [u.login, u.displayName]), [users, query]);
  const selected = users.find((u) => u.id === selectedId);

  useEffect(() => {
    void store.getState().loadUsers();
  }, [store]);

  const columns = useMemo<Column<UserView>[]>(
    () => [
      { key: 'login', label: t('admin.users.login'), value: (u) => u.login },
      { key: 'name', label: t('admin.users.name'), value: (u) => u.displayName },
      {
        key: 'state',
        label: t('admin.users.state'),
        value: (u) => [u.disabled ? t('admin.users.disabled') : t('admin.users.active'), u.mustChangePassword ? t('admin.users.mustChange') : null].filter((x) => x !== null).join(', '),
      },
      { key: 'rights', label: t('admin.users.rights'), value: (u) => u.permissions.length, numeric: true },
      { key: 'created', label: t('admin.users.created'), value: (u) => u.createdAt, render: (u) => formatInstant(u.createdAt) },
    ],
    [t],
  );

  return (
    <>
      {oneTime === null ? null : (
        <OneTimePassword
          secret={oneTime}
          onDone={() => {
            store.getState().acknowledgeOneTime();
            // Back to where the next user is typed (or the list, when a user is open).
            (document.getElementById(NEW_LOGIN_ID) ?? document.getElementById(searchId))?.focus();
          }}
        />
      )}
      <div className="office-split">
        <section className="office-split__main office-panel" aria-label={t('admin.users.caption')}>
          <label className="office-search">
            {t('admin.users.search')} <kbd>{t('admin.shortcut', { key: 'S' })}</kbd>
            <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <DataTable
            caption={t('admin.users.caption')}
            rows={shown}
            columns={columns}
            rowKey={(u) => u.id}
            onOpen={(u) => store.getState().selectUser(u.id)}
            exportName="benutzer.csv"
            totalCount={users.length}
            initialSort={{ key: 'login', direction: 'asc' }}
            activeKey={selectedId ?? undefined}
          />
        </section>
        <div className="office-split__side">
          {selected === undefined ? <CreateUser store={store} grantable={grantable} /> : <UserDetail key={selected.id} store={store} user={selected} grantable={grantable} />}
        </div>
      </div>
    </>
  );
}

function CreateUser({ store, grantable }: { store: AdminStore; grantable: readonly Permission[] }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [rights, setRights] = useState<Permission[]>([]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store
      .getState()
      .createUser({ login, displayName: name, permissions: rights })
      .then((done) => {
        if (done) {
          setLogin('');
          setName('');
          setRights([]);
        }
      });
  };
  return (
    <form className="office-panel office-form" onSubmit={submit} aria-labelledby="create-user-heading">
      <h3 id="create-user-heading">{t('admin.create.heading')}</h3>
      <label>
        {t('admin.create.login')}
        <input id={NEW_LOGIN_ID} type="text" value={login} required autoComplete="off" maxLength={63} onChange={(e) => setLogin(e.target.value)} />
      </label>
      <label>
        {t('admin.create.name')}
        <input type="text" value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <RightsPicker grantable={grantable} value={rights} onChange={setRights} idPrefix="new-user-right" />
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('admin.create.submit')}
      </button>
    </form>
  );
}

function UserDetail({ store, user, grantable }: { store: AdminStore; user: UserView; grantable: readonly Permission[] }) {
  const { t } = useI18n();
  const label = useRightLabel();
  const busy = useStore(store, (s) => s.busy);
  const [rights, setRights] = useState<Permission[]>(() => user.permissions.filter((p): p is Permission => (grantable as readonly string[]).includes(p)));
  const locked = lockedRights(user.permissions, grantable);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const save = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().setPermissions(user.id, rights);
  };
  return (
    <section className="office-panel" aria-labelledby="user-detail-heading">
      <div className="office-detail__head">
        <h3 id="user-detail-heading" tabIndex={-1} ref={headingRef}>
          {t('admin.user.heading', { login: user.login })}
        </h3>
        <button type="button" className="button" onClick={() => store.getState().selectUser(null)}>
          {t('admin.user.close')}
        </button>
      </div>
      <p>
        {user.displayName} · {user.disabled ? t('admin.users.disabled') : t('admin.users.active')}
        {user.mustChangePassword ? ` · ${t('admin.users.mustChange')}` : ''}
      </p>
      <div className="office-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void store.getState().setDisabled(user.id, !user.disabled)}>
          {user.disabled ? t('admin.user.enable') : t('admin.user.disable')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void store.getState().unlock(user.id)}>
          {t('admin.user.unlock')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void store.getState().resetPassword(user.id)}>
          {t('admin.user.reset')}
        </button>
      </div>
      <form className="office-form" onSubmit={save}>
        {locked.length > 0 ? <p role="note">{t('admin.rights.locked', { rights: locked.map(label).join(', ') })}</p> : null}
        <RightsPicker grantable={grantable} value={rights} onChange={setRights} disabled={locked.length > 0} idPrefix={`user-${user.id}-right`} />
        <button type="submit" className="button" disabled={busy || locked.length > 0}>
          {t('admin.rights.save')}
        </button>
      </form>
    </section>
  );
}
