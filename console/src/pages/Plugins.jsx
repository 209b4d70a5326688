import { useCallback, useEffect, useState } from 'react';
import { api, asApiError } from '../api.js';
import { ErrorBox, Notice, Progress } from '../components/Feedback.jsx';
import ConfirmDialog from '../components/ConfirmDialog.jsx';

async function sha256Of(file) {
  // crypto.subtle exists only in a secure context (https, or 127.0.0.1/localhost)
  if (!window.crypto?.subtle) return null;
  const digest = await window.crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function reasonOf(p) {
  const reasons = [];
  if (p.reason) reasons.push(p.reason);
  if (p.error) reasons.push(typeof p.error === 'object' ? p.error.message : String(p.error));
  (p.rejected || []).forEach((r) => reasons.push(typeof r === 'object' ? `${r.what || ''}: ${r.reason || JSON.stringify(r)}` : String(r)));
  return reasons;
}

export default function Plugins() {
  const [plugins, setPlugins] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [file, setFile] = useState(null);
  const [computed, setComputed] = useState(null);
  const [sha256, setSha256] = useState('');
  // the install was refused because the archive's digest is not the one given: only then is the file's own shown
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(null);
  const [removing, setRemoving] = useState(null);

  const load = useCallback(() => api('GET', '/api/v1/plugins').then((b) => setPlugins(b.plugins))
    .catch((e) => { setError(asApiError(e)); setPlugins([]); }), []);
  useEffect(() => { load(); }, [load]);

  async function choose(e) {
    const chosen = e.target.files?.[0] || null;
    setFile(chosen);
    setMismatch(false);
    setComputed(chosen ? await sha256Of(chosen) : null);
  }

  async function upload(e) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    setBusy(`Uploading ${file.name}…`);
    try {
      const params = new URLSearchParams({ filename: file.name });
      if (sha256.trim()) params.set('sha256', sha256.trim().toLowerCase());
      const installed = await api('POST', `/api/v1/plugins?${params}`, {
        raw: await file.arrayBuffer(), contentType: 'application/octet-stream' });
      setNotice(`Installed ${installed.id || file.name}${installed.version ? ` ${installed.version}` : ''}`
        + `${installed.skills ? `: ${installed.skills.join(', ')}` : ''}.`);
      setFile(null);
      setSha256('');
      setComputed(null);
      e.target.reset();
      setMismatch(false);
      await load();
    } catch (err) {
      const refused = asApiError(err);
      setMismatch(Boolean(sha256.trim()) && Boolean(computed) && computed !== sha256.trim().toLowerCase());
      setError(refused);
    } finally {
      setBusy(null);
    }
  }

  async function remove(id) {
    setRemoving(null);
    setError(null);
    setNotice(null);
    setBusy(`Removing ${id}…`);
    try {
      const removed = await api('DELETE', `/api/v1/plugins/${encodeURIComponent(id)}`);
      setNotice(`Removed ${id}${removed.note ? ` (${removed.note})` : ''}.`);
      await load();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1>Plugins</h1>
      <Notice>{notice}</Notice>
      {busy ? <Progress label={busy} /> : null}
      <ErrorBox error={error} />
      {plugins === null ? <Progress label="Loading the plugins…" /> : (
        <div className="table-wrap">
          <table>
            <caption>Plugins found ({plugins.length})
              {plugins.some((p) => p.state !== 'started') ? ', with why one did not start' : ''}</caption>
            <thead><tr><th scope="col">Plugin</th><th scope="col">Version</th><th scope="col">State</th><th scope="col">Skills</th>
              <th scope="col">Reasons</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {plugins.map((p) => (
                <tr key={`${p.id}-${p.path}`}>
                  <td><code>{p.id}</code></td>
                  <td>{p.version}</td>
                  <td><span className={`badge ${p.state === 'started' ? 'ready' : 'blocked'}`}>{p.state}</span></td>
                  <td>{(p.skills || []).length}</td>
                  <td>{reasonOf(p).length ? <ul className="plain">{reasonOf(p).map((r, i) => <li key={i}>{r}</li>)}</ul> : ''}</td>
                  <td>{p.state === 'started' ? (
                    <button type="button" className="danger" onClick={() => setRemoving(p.id)} aria-label={`Remove ${p.id}`}>Remove</button>
                  ) : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="card" onSubmit={upload} aria-labelledby="upload-title">
        <h2 id="upload-title">Install a plugin</h2>
        <p className="help">A pf4j plugin archive (zip or jar). It serves at once, without a restart, for every connection.</p>
        <div className="field">
          <label htmlFor="plugin-file">Archive</label>
          <input id="plugin-file" type="file" accept=".zip,.jar" onChange={choose} required />
        </div>
        <div className="field">
          <label htmlFor="plugin-sha">SHA-256 published with the plugin</label>
          <input id="plugin-sha" value={sha256} onChange={(e) => setSha256(e.target.value)} pattern="[0-9a-fA-F]{64}"
            spellCheck={false} autoComplete="off" aria-describedby="plugin-sha-help" />
          <p id="plugin-sha-help" className="help">The install is refused unless the archive has this digest, so a
            tampered download never runs.</p>
        </div>
        {mismatch && computed ? (
          <div className="warning" role="status">
            <p>The install was refused: the chosen file&apos;s digest differs from the published one. Get the archive
              again from its publisher, or check that you copied the publisher&apos;s digest.</p>
            <p className="help">For comparing with the publisher&apos;s, not for pasting above (a tampered file has its
              own digest too): this file&apos;s SHA-256 is <code data-testid="computed-sha256">{computed}</code></p>
          </div>
        ) : null}
        <div className="actions"><button type="submit" className="primary" disabled={!file || Boolean(busy)}>Install</button></div>
      </form>
      <ConfirmDialog open={Boolean(removing)} title={`Remove plugin ${removing}?`} confirmLabel="Remove" danger
        onConfirm={() => remove(removing)} onCancel={() => setRemoving(null)}>
        <p>Its skills stop being offered at once; running executions finish first.</p>
      </ConfirmDialog>
    </>
  );
}
