import { useCallback, useEffect, useRef, useState } from 'react';
import { api, asApiError, execute } from '../api.js';
import { ErrorBox, Notice, Progress } from '../components/Feedback.jsx';
import ConfirmDialog from '../components/ConfirmDialog.jsx';
import Matrix from '../components/Matrix.jsx';

const POLL_MS = 1500;

/**
 * ready / needs reconnect / partly: from the stored status (GET /api/v1/connections) and, when the capability test was
 * run on demand in this tab, its last result. Opening the page runs nothing on the vendor.
 */
export function statusOf(connection, test) {
  if (connection.status === 'needs_reconnect') {
    return { key: 'blocked', text: 'needs reconnect' };
  }
  if (test?.running) return { key: 'unknown', text: 'checking…' };
  if (test?.report) {
    const skills = test.report.skills || [];
    if (test.report.verified === false) return { key: 'blocked', text: 'not verified' };
    // partly: some skill cannot run at all (a skill that runs in some ways only is still usable)
    if (skills.some((s) => s.status === 'blocked')) return { key: 'partly', text: 'partly' };
    return { key: 'ready', text: 'ready' };
  }
  if (test?.error) return { key: 'blocked', text: 'test failed' };
  if (connection.status && connection.status !== 'ready' && connection.status !== 'connected') {
    return { key: 'unknown', text: String(connection.status).replace(/_/g, ' ') };
  }
  return { key: 'unknown', text: 'not checked' };
}

// The last capability test of each connection, for this tab's session: shown again on a later visit, never re-run.
const TESTS_ITEM = 'quiver.connection-tests';
function rememberedTests() {
  try {
    return JSON.parse(sessionStorage.getItem(TESTS_ITEM) || '{}') || {};
  } catch {
    return {};
  }
}
function rememberTests(tests) {
  const done = Object.fromEntries(Object.entries(tests).filter(([, t]) => t.report));
  try {
    sessionStorage.setItem(TESTS_ITEM, JSON.stringify(done));
  } catch {
    // storage full or refused: the results stay for this page only
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function ConnectForm({ onConnected, initialId = '', initialType = 'cloudflare', reconnect }) {
  const [id, setId] = useState(initialId);
  const [type, setType] = useState(initialType);
  const [account, setAccount] = useState('');
  const [flow, setFlow] = useState(null);
  const [error, setError] = useState(null);
  const cancelled = useRef(false);
  useEffect(() => () => { cancelled.current = true; }, []);

  async function start(e) {
    e?.preventDefault();
    setError(null);
    setFlow({ phase: 'starting' });
    try {
      const before = await api('GET', `/api/v1/connections/${encodeURIComponent(id)}`).catch(() => null);
      const started = await api('POST', `/api/v1/connections/${encodeURIComponent(id)}/connect`, {
        body: account.trim() ? { type, account_id: account.trim() } : { type } });
      // The consent page opens beside the console, which waits here for the callback to store the connection.
      window.open(started.authorize_url, '_blank', 'noopener,noreferrer');
      setFlow({ phase: 'waiting', url: started.authorize_url, expires: started.expires_at });
      const deadline = Date.parse(started.expires_at) || Date.now() + 10 * 60 * 1000;
      while (!cancelled.current && Date.now() < deadline) {
        await sleep(POLL_MS);
        const after = await api('GET', `/api/v1/connections/${encodeURIComponent(id)}`).catch(() => null);
        if (after && JSON.stringify(after) !== JSON.stringify(before)) {
          setFlow(null);
          if (!reconnect) {
            setId('');
            setAccount('');
          }
          onConnected(id);
          return;
        }
      }
      if (!cancelled.current) {
        setFlow(null);
        setError({ code: 'NOT_CONNECTED', message: `the consent for ${id} was not completed before it expired`,
          remediation: 'Start the connect again and approve it on the consent page.' });
      }
    } catch (err) {
      setFlow(null);
      setError(asApiError(err));
    }
  }

  return (
    <form onSubmit={start} className="card" aria-labelledby={`connect-title-${reconnect ? id : 'new'}`}>
      <h3 id={`connect-title-${reconnect ? id : 'new'}`}>{reconnect ? `Reconnect ${id}` : 'Connect with Cloudflare'}</h3>
      {!reconnect ? (
        <>
          <p className="help">Sign in to Cloudflare and approve what Quiver may read or change: no token to copy. The
            consent page opens in a new tab; this page waits for it.</p>
          <div className="row">
            <div className="field">
              <label htmlFor="connect-id">Connection id</label>
              <input id="connect-id" required pattern="[a-z0-9][a-z0-9_.\-]{0,63}" value={id}
                onChange={(e) => setId(e.target.value)} aria-describedby="connect-id-help" />
              <p id="connect-id-help" className="help">Lower case, digits, <code>_ . -</code>; e.g. the customer&apos;s name.</p>
            </div>
            <div className="field">
              <label htmlFor="connect-type">Type</label>
              <select id="connect-type" value={type} onChange={(e) => setType(e.target.value)}>
                <option value="cloudflare">cloudflare</option>
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor="connect-account">Account id (optional)</label>
            <input id="connect-account" value={account} onChange={(e) => setAccount(e.target.value)}
              pattern="[0-9a-f]{32}" spellCheck={false} aria-describedby="connect-account-help" />
            <p id="connect-account-help" className="help">The Cloudflare account the connection is for (32 hex
              digits, on the account&apos;s overview page); not needed with the sandbox.</p>
          </div>
        </>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={Boolean(flow) || !id}>
          {reconnect ? 'Reconnect' : 'Connect with Cloudflare'}
        </button>
      </div>
      {flow?.phase === 'starting' ? <Progress label="Starting the connect…" /> : null}
      {flow?.phase === 'waiting' ? (
        <div>
          <Progress label={`Waiting for the consent for ${id}…`} />
          <p className="help">If no tab opened, <a href={flow.url} target="_blank" rel="noopener noreferrer">open the consent page</a>.
            It expires at {new Date(flow.expires).toLocaleTimeString()}.</p>
        </div>
      ) : null}
      <ErrorBox error={error} title="Not connected" />
    </form>
  );
}

function AddByToken({ onAdded }) {
  const empty = { id: '', token: '', base_url: '', account_id: '', zone_id: '', permissions: '' };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [tested, setTested] = useState(null);
  // a change to what was tested asks for a new test before saving
  const set = (k) => (e) => {
    setForm({ ...form, [k]: e.target.value });
    if (['token', 'base_url', 'account_id'].includes(k)) setTested(null);
  };

  function connection(id, withChoices) {
    const c = { id, type: 'cloudflare', auth: { method: 'api_token', token: form.token.trim() },
      account_id: form.account_id.trim() };
    if (form.base_url.trim()) c.base_url = form.base_url.trim();
    if (withChoices) {
      if (form.zone_id) c.zone_id = form.zone_id;
      const permissions = form.permissions.split(',').map((p) => p.trim()).filter(Boolean);
      if (permissions.length) c.permissions = permissions;
    }
    return c;
  }

  // The API tests stored connections only: the token is stored under a temporary id, tested, asked for the zones it
  // may read (to choose from), and the temporary connection removed whatever happened.
  async function test(e) {
    e.preventDefault();
    setError(null);
    setTested(null);
    setBusy('Testing the token…');
    const temporary = `${form.id}-test-${Math.random().toString(36).slice(2, 8)}`.slice(0, 64);
    let stored = false;
    try {
      await api('POST', '/api/v1/connections', { body: connection(temporary, false) });
      stored = true;
      const report = await api('POST', `/api/v1/connections/${temporary}/test`);
      let zones = [];
      try {
        zones = (await execute('cloudflare_get_zone_details', temporary, { limit: 100 })).output?.zones || [];
      } catch {
        zones = []; // a token that may not list zones: the zone is left to choose by id later
      }
      const discovered = report.verify?.output?.permissions?.groups?.map((g) => g.name) || [];
      setTested({ report: { ...report, connection: form.id }, zones });
      setForm((f) => ({ ...f, permissions: f.permissions || discovered.join(', '), zone_id: f.zone_id || zones[0]?.id || '' }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      if (stored) await api('DELETE', `/api/v1/connections/${temporary}`).catch(() => {});
      setBusy(null);
    }
  }

  async function save() {
    setError(null);
    setBusy('Saving the connection…');
    try {
      await api('POST', '/api/v1/connections', { body: connection(form.id, true) });
      onAdded(form.id);
      setForm(empty);
      setTested(null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form onSubmit={test} className={tested ? 'card wide' : 'card'} aria-labelledby="token-title">
      <h3 id="token-title">Add by token</h3>
      <p className="help">Paste an API token, test it, choose the zone, then save. The token is stored encrypted and
        never shown again.</p>
      <div className="row">
        <div className="field">
          <label htmlFor="token-id">Connection id</label>
          <input id="token-id" required pattern="[a-z0-9][a-z0-9_.\-]{0,63}" value={form.id} onChange={set('id')} />
        </div>
        <div className="field grow">
          <label htmlFor="token-token">API token</label>
          <input id="token-token" type="password" autoComplete="off" required value={form.token} onChange={set('token')} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="token-account">Account id</label>
        <input id="token-account" required pattern="[0-9a-f]{32}" spellCheck={false} value={form.account_id}
          onChange={set('account_id')} aria-describedby="token-account-help" />
        <p id="token-account-help" className="help">32 hex digits, on the account&apos;s overview page in Cloudflare.</p>
      </div>
      <div className="field">
        <label htmlFor="token-base">API base URL (optional)</label>
        <input id="token-base" type="url" value={form.base_url} onChange={set('base_url')}
          placeholder="https://api.cloudflare.com/client/v4" aria-describedby="token-base-help" />
        <p id="token-base-help" className="help">Leave empty for Cloudflare; the sandbox prints its own.</p>
      </div>
      <div className="actions">
        <button type="submit" disabled={Boolean(busy)}>Test the token</button>
      </div>
      {tested ? (
        <>
          <Matrix report={tested.report} method="api_token" />
          <div className="field">
            <label htmlFor="token-zone">Zone</label>
            <select id="token-zone" value={form.zone_id} onChange={set('zone_id')}>
              <option value="">(none: name it in each skill&apos;s input)</option>
              {tested.zones.map((z) => <option key={z.id} value={z.id}>{z.name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="token-permissions">Permission groups (comma-separated)</label>
            <input id="token-permissions" value={form.permissions} onChange={set('permissions')}
              aria-describedby="token-permissions-help" />
            <p id="token-permissions-help" className="help">What the token holds, as the test found it: the runner
              checks each skill against these before any request.</p>
          </div>
          <div className="actions">
            <button type="button" className="primary" onClick={save} disabled={Boolean(busy)}>Save connection</button>
          </div>
        </>
      ) : null}
      {busy ? <Progress label={busy} /> : null}
      <ErrorBox error={error} />
    </form>
  );
}

export default function Connections({ refreshMe }) {
  const [connections, setConnections] = useState(null);
  const [tests, setTests] = useState(() => {
    const remembered = rememberedTests();
    return Object.fromEntries(Object.entries(remembered).map(([id, r]) => [id, { report: r.report, at: r.at }]));
  });
  useEffect(() => { rememberTests(tests); }, [tests]);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [removing, setRemoving] = useState(null);
  const [reconnecting, setReconnecting] = useState(null);
  const [shown, setShown] = useState(null);

  const test = useCallback(async (id) => {
    setTests((t) => ({ ...t, [id]: { running: true } }));
    try {
      const report = await api('POST', `/api/v1/connections/${encodeURIComponent(id)}/test`);
      setTests((t) => ({ ...t, [id]: { report, at: new Date().toISOString() } }));
    } catch (err) {
      setTests((t) => ({ ...t, [id]: { error: asApiError(err) } }));
    }
  }, []);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = (await api('GET', '/api/v1/connections')).connections;
      setConnections(list);
      // only the results of connections still stored are kept
      setTests((t) => Object.fromEntries(Object.entries(t).filter(([id]) => list.some((c) => c.id === id))));
    } catch (err) {
      setError(asApiError(err));
      setConnections([]);
    }
  }, []);

  useEffect(() => { load(); }, [load]);

  async function remove(id) {
    setRemoving(null);
    setError(null);
    try {
      await api('DELETE', `/api/v1/connections/${encodeURIComponent(id)}`);
      setNotice(`Removed ${id}.`);
      if (shown === id) setShown(null);
      await load();
      refreshMe();
    } catch (err) {
      setError(asApiError(err));
    }
  }

  function connected(id) {
    setNotice(`Connected ${id}.`);
    setReconnecting(null);
    setShown(id);
    load();
    test(id);
    refreshMe();
  }

  return (
    <>
      <h1>Connections</h1>
      <Notice>{notice}</Notice>
      <ErrorBox error={error} />
      {connections === null ? <Progress label="Loading the connections…" /> : (
        connections.length === 0 ? <p>No connection yet: connect one below.</p> : (
          <div className="table-wrap">
            <table>
              <caption>Stored connections</caption>
              <thead>
                <tr><th scope="col">Id</th><th scope="col">Type</th><th scope="col">Auth</th><th scope="col">Status</th>
                  <th scope="col">Added</th><th scope="col">Actions</th></tr>
              </thead>
              <tbody>
                {connections.map((c) => {
                  const status = statusOf(c, tests[c.id]);
                  return (
                    <tr key={c.id}>
                      <td><code>{c.id}</code></td>
                      <td>{c.type}</td>
                      <td>{c.auth?.method}</td>
                      <td><span className={`badge ${status.key}`}>{status.text}</span>
                        {tests[c.id]?.at && !tests[c.id]?.running && c.status !== 'needs_reconnect' ? (
                          <span className="help"> tested {new Date(tests[c.id].at).toLocaleTimeString()}</span>
                        ) : null}</td>
                      <td>{c.added_at ? new Date(c.added_at).toLocaleString() : ''}</td>
                      <td className="actions-cell">
                        <button type="button" onClick={() => { setShown(c.id); test(c.id); }}
                          aria-label={`Capabilities of ${c.id}`}>Capabilities</button>
                        {c.auth?.method === 'oauth' || c.status === 'needs_reconnect' ? (
                          <button type="button" onClick={() => setReconnecting(c)} aria-label={`Reconnect ${c.id}`}>Reconnect</button>
                        ) : null}
                        <button type="button" className="danger" onClick={() => setRemoving(c.id)} aria-label={`Remove ${c.id}`}>Remove</button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      )}
      {reconnecting ? <ConnectForm key={reconnecting.id} reconnect initialId={reconnecting.id}
        initialType={reconnecting.type} onConnected={connected} /> : null}
      {shown && tests[shown] ? (
        tests[shown].running ? <Progress label={`Testing ${shown}…`} />
          : tests[shown].error ? <ErrorBox error={tests[shown].error} title={`Could not test ${shown}`} />
            : <Matrix report={tests[shown].report}
              method={connections?.find((c) => c.id === shown)?.auth?.method} />
      ) : null}
      <div className="two">
        <ConnectForm onConnected={connected} />
        <AddByToken onAdded={(id) => { setNotice(`Added ${id}.`); setShown(id); load(); test(id); refreshMe(); }} />
      </div>
      <ConfirmDialog open={Boolean(removing)} title={`Remove ${removing}?`} confirmLabel="Remove" danger
        onConfirm={() => remove(removing)} onCancel={() => setRemoving(null)}>
        <p>The connection and its stored secret are deleted. Skills can no longer run on it; its execution records stay.</p>
      </ConfirmDialog>
    </>
  );
}
