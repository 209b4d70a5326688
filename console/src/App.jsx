import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, asApiError, forgetKey, roleIncludes, storedKey, storeKey } from './api.js';
import { ErrorBox, Progress } from './components/Feedback.jsx';
import Connections from './pages/Connections.jsx';
import Skills from './pages/Skills.jsx';
import Posture from './pages/Posture.jsx';
import Executions from './pages/Executions.jsx';
import Plugins from './pages/Plugins.jsx';

// The pages, and the least role each needs: what a key may not do is not offered.
const PAGES = [
  { id: 'connections', title: 'Connections', role: 'admin', Page: Connections },
  { id: 'skills', title: 'Skills', role: 'viewer', Page: Skills },
  { id: 'posture', title: 'Posture review', role: 'analyst', Page: Posture },
  { id: 'executions', title: 'Executions', role: 'viewer', Page: Executions },
  // a plugin runs for every customer: a key limited to some connections may not change them (the API says 403)
  { id: 'plugins', title: 'Plugins', role: 'admin', unrestricted: true, Page: Plugins },
];

const unrestricted = (me) => !me.tenants || (me.tenants.length === 1 && me.tenants[0] === '*');

function currentRoute() {
  const [page, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
  return { page, arg: rest.map(decodeURIComponent).join('/') };
}

/** A refused key's error with advice for the sign-in form: the API's ("Send 'Authorization: Bearer…'") is for programs. */
function forSignIn(error) {
  if (error.status === 401) {
    error.remediation = 'Check the key (it is printed once by "serve" on its first start, or made with "keys create").';
  }
  return error;
}

function SignIn({ onSignedIn, refused }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(refused ? forSignIn(new ApiError(401, refused)) : null);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api('GET', '/api/v1/me', { key: key.trim() });
      storeKey(key.trim());
      onSignedIn(me);
    } catch (err) {
      setError(forSignIn(asApiError(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="signin" id="main">
      <h1>Quiver console</h1>
      <p>Connect customers, see what each connection can do, run skills and read the records.</p>
      <form onSubmit={submit} className="card">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} required
          value={key} onChange={(e) => setKey(e.target.value)} aria-describedby="api-key-help" />
        <p id="api-key-help" className="help">
          The key that <code>serve</code> printed on its first start, or one from <code>keys create --role ROLE</code>.
          It is kept in this tab only, until you sign out or close it.
        </p>
        <div className="actions"><button type="submit" className="primary" disabled={busy}>Sign in</button></div>
        {busy ? <Progress label="Checking the key…" /> : null}
        <ErrorBox error={error} title="Not signed in" />
      </form>
    </main>
  );
}

export default function App() {
  const [me, setMe] = useState(null);
  const [restoring, setRestoring] = useState(Boolean(storedKey()));
  const [route, setRoute] = useState(currentRoute());
  const [refused, setRefused] = useState(null);

  useEffect(() => {
    const onRefused = (e) => { setRefused(e.detail); setMe(null); };
    window.addEventListener('quiver:key-refused', onRefused);
    return () => window.removeEventListener('quiver:key-refused', onRefused);
  }, []);

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A reload keeps the tab's key: ask who it is again (it may have been revoked meanwhile).
  useEffect(() => {
    if (!storedKey()) {
      return;
    }
    api('GET', '/api/v1/me').then(setMe).catch(() => forgetKey()).finally(() => setRestoring(false));
  }, []);

  const refreshMe = useCallback(() => api('GET', '/api/v1/me').then(setMe).catch(() => {}), []);

  const signOut = () => {
    forgetKey();
    setMe(null);
    window.location.hash = '';
  };

  if (restoring) {
    return <main id="main"><Progress label="Signing in…" /></main>;
  }
  if (!me) {
    return <SignIn onSignedIn={(signedIn) => { setRefused(null); setMe(signedIn); }} refused={refused} />;
  }
  const allowed = PAGES.filter((p) => roleIncludes(me.role, p.role) && (!p.unrestricted || unrestricted(me)));
  const page = allowed.find((p) => p.id === route.page) || allowed[0];
  const { Page } = page;
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="top">
        <span className="brand">Quiver</span>
        <nav aria-label="Pages">
          <ul>
            {allowed.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === page.id ? 'page' : undefined}>{p.title}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>Key <code>{me.id}</code> · {me.role}{unrestricted(me) ? '' : ` · connections ${me.tenants.join(', ')}`}</span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page me={me} arg={page.id === route.page ? route.arg : ''} refreshMe={refreshMe} />
      </main>
    </>
  );
}
