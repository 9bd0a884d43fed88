import { useState, type FormEvent } from 'react';
import { useLogin } from '../api/queries.ts';
import { classifyApiError } from '../api/trpc-client.ts';
import { LangSwitch, useI18n } from '../i18n.tsx';

/** The sign-in form shown while `auth.me` answers no user. */
export function LoginForm({ title }: { title: string }) {
  const { t } = useI18n();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password });
  };

  const errorKind = login.error ? classifyApiError(login.error) : null;
  return (
    <div className="co-login-page">
      <form className="co-login" onSubmit={submit} aria-label={t('login.title')}>
        <h1 className="co-login-title">{title}</h1>
        <div className="co-login-subtitle">{t('login.title')}</div>
        <label className="co-field">
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label className="co-field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {errorKind ? (
          <div className="co-login-error" role="alert">
            {errorKind === 'network' ? t('state.network') : errorKind === 'other' ? t('state.error') : t('login.failed')}
          </div>
        ) : null}
        <button type="submit" className="co-button" disabled={login.isPending}>
          {login.isPending ? t('login.submitting') : t('login.submit')}
        </button>
        <div className="co-login-footer">
          <LangSwitch />
        </div>
      </form>
    </div>
  );
}
