import { useCallback, useEffect, useState } from 'react';
import { api, asApiError } from '../api.js';
import { ErrorBox, Progress } from '../components/Feedback.jsx';
import ResultView, { JsonBlock } from '../components/ResultView.jsx';

function iso(local) {
  // datetime-local is the browser's local time; the API wants UTC
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function Detail({ id }) {
  const [record, setRecord] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setRecord(null);
    setError(null);
    api('GET', `/api/v1/executions/${encodeURIComponent(id)}`).then(setRecord).catch((e) => setError(asApiError(e)));
  }, [id]);
  if (error) return <ErrorBox error={error} />;
  if (!record) return <Progress label={`Loading ${id}…`} />;
  const facts = [['Skill', record.skill], ['Status', record.status], ['Error code', record.error_code],
    ['Connection', record.connection],
    ['Caller', record.caller], ['Source', record.source], ['Started', record.started],
    ['Duration', record.duration_ms !== undefined ? `${record.duration_ms} ms` : ''], ['Dry run', record.dry_run ? 'yes' : 'no'],
    ['Requests sent', record.requests_sent], ['Request ids (cf-ray)', (record.request_ids || []).join(', ')]];
  return (
    <section className="card" aria-labelledby="execution-title">
      <h2 id="execution-title">Execution <code>{record.id}</code></h2>
      <dl className="facts">
        {facts.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{String(v)}</dd></div>)}
      </dl>
      {record.error ? <ErrorBox error={record.error} title="It failed" /> : null}
      <h3>Input, as recorded</h3>
      <JsonBlock value={record.input} label="the recorded input" />
      {record.output !== undefined ? (<><h3>Output</h3><ResultView output={record.output} /></>) : null}
      <p><a href="#/executions">Back to the list</a></p>
    </section>
  );
}

export default function Executions({ arg }) {
  const [skills, setSkills] = useState([]);
  const [filters, setFilters] = useState({ skill: '', status: '', connection: '', since: '', until: '' });
  const [pages, setPages] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('GET', '/api/v1/skills').then((b) => setSkills(b.skills.map((s) => s.id))).catch(() => {});
  }, []);

  const query = useCallback(async (cursor) => {
    setBusy(true);
    setError(null);
    const params = new URLSearchParams();
    if (filters.skill) params.set('skill', filters.skill);
    if (filters.status) params.set('status', filters.status);
    if (filters.connection.trim()) params.set('connection', filters.connection.trim());
    if (iso(filters.since)) params.set('since', iso(filters.since));
    if (iso(filters.until)) params.set('until', iso(filters.until));
    params.set('limit', '50');
    if (cursor) params.set('cursor', cursor);
    try {
      const page = await api('GET', `/api/v1/executions?${params}`);
      setPages((p) => (cursor && p ? { rows: [...p.rows, ...page.executions], next: page.next_cursor }
        : { rows: page.executions, next: page.next_cursor }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }, [filters]);

  useEffect(() => { if (!arg) query(); }, [arg]); // eslint-disable-line react-hooks/exhaustive-deps

  if (arg) {
    return (<><h1>Executions</h1><Detail id={arg} /></>);
  }
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.target.value });
  return (
    <>
      <h1>Executions</h1>
      <form className="card filters" onSubmit={(e) => { e.preventDefault(); query(); }} aria-label="Filters">
        <div className="row">
          <div className="field">
            <label htmlFor="f-skill">Skill</label>
            <select id="f-skill" value={filters.skill} onChange={set('skill')}>
              <option value="">any</option>
              {skills.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-status">Status</label>
            <select id="f-status" value={filters.status} onChange={set('status')}>
              <option value="">any</option><option value="succeeded">succeeded</option><option value="failed">failed</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-connection">Connection</label>
            <input id="f-connection" value={filters.connection} onChange={set('connection')} />
          </div>
          <div className="field">
            <label htmlFor="f-since">Since</label>
            <input id="f-since" type="datetime-local" value={filters.since} onChange={set('since')} />
          </div>
          <div className="field">
            <label htmlFor="f-until">Until</label>
            <input id="f-until" type="datetime-local" value={filters.until} onChange={set('until')} />
          </div>
        </div>
        <div className="actions"><button type="submit" className="primary" disabled={busy}>Search</button></div>
      </form>
      {busy ? <Progress label="Loading the executions…" /> : null}
      <ErrorBox error={error} />
      {pages ? (pages.rows.length === 0 ? <p>No execution matches.</p> : (
        <div className="table-wrap">
          <table>
            <caption>Executions, newest first ({pages.rows.length}{pages.next ? '+' : ''})</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Skill</th><th scope="col">Connection</th><th scope="col">Status</th>
              <th scope="col">Duration</th><th scope="col">Caller</th><th scope="col">Dry run</th></tr></thead>
            <tbody>
              {pages.rows.map((r) => (
                <tr key={r.id}>
                  <td><a href={`#/executions/${encodeURIComponent(r.id)}`}>{new Date(r.started).toLocaleString()}</a></td>
                  <td><code>{r.skill}</code></td>
                  <td>{r.connection}</td>
                  <td><span className={`badge ${r.status === 'succeeded' ? 'ready' : 'blocked'}`}>{r.status}</span>
                    {r.error_code ? <> <code>{r.error_code}</code></> : null}</td>
                  <td>{r.duration_ms} ms</td>
                  <td>{r.caller}</td>
                  <td>{r.dry_run ? 'yes' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )) : null}
      {pages?.next ? <div className="actions"><button type="button" onClick={() => query(pages.next)} disabled={busy}>Older</button></div> : null}
    </>
  );
}
