import { useEffect, useState } from 'react';
import { api, asApiError, execute, roleIncludes } from '../api.js';
import { ErrorBox, Progress } from '../components/Feedback.jsx';
import SkillForm from '../components/SkillForm.jsx';
import ConnectionPicker from '../components/ConnectionPicker.jsx';
import Execution from '../components/Execution.jsx';
import { JsonBlock } from '../components/ResultView.jsx';
import ConfirmDialog from '../components/ConfirmDialog.jsx';

export function permissionsText(required) {
  return (required || []).map((p) => `${(p.any_of || [p.permission]).join(' or ')} (${p.scope}${p.when ? `, ${p.when}` : ''}`
    + `${p.optional ? ', optional' : ''})`);
}

function Catalogue({ skills, selected }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Installed skills ({skills.length})</caption>
        <thead><tr><th scope="col">Skill</th><th scope="col">Title</th><th scope="col">Access</th><th scope="col">Required permissions</th></tr></thead>
        <tbody>
          {skills.map((s) => (
            <tr key={s.id} className={s.id === selected ? 'selected' : undefined}>
              <td><a href={`#/skills/${encodeURIComponent(s.id)}`} aria-current={s.id === selected ? 'true' : undefined}><code>{s.id}</code></a></td>
              <td>{s.title}</td>
              <td><span className={`badge ${s.access === 'write' ? 'partly' : 'unknown'}`}>{s.access}</span></td>
              <td><ul className="plain">{permissionsText(s.required_permissions).map((t, i) => <li key={i}>{t}</li>)}</ul></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A skill's form, its run, and its result: for write skills a dry-run preview first, then a confirmation. */
export function SkillRunner({ me, descriptor, onResult, renderResult }) {
  const [connection, setConnection] = useState(me.connections?.[0]?.id || '');
  const [input, setInput] = useState(undefined);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const [preview, setPreview] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [lastInput, setLastInput] = useState(null);
  const write = descriptor.access === 'write';
  const mayRun = roleIncludes(me.role, write ? 'responder' : 'analyst');
  const properties = descriptor.input_schema?.properties || {};

  async function run(data, dryRun, label) {
    setError(null);
    setBusy(label);
    try {
      const answer = await execute(descriptor.id, connection, data, dryRun);
      setLastInput(data);
      if (dryRun) {
        setPreview({ input: data, answer });
        setResult(null);
      } else {
        setPreview(null);
        setResult(answer);
        onResult?.(answer);
      }
    } catch (err) {
      // a failed run leaves no earlier result or preview on show: they would read as this run's
      setResult(null);
      setPreview(null);
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  }

  function submit(data) {
    setInput(data);
    if (write) {
      run(data, true, `Previewing ${descriptor.id} (dry run: nothing is changed)…`);
    } else {
      run(data, false, `Running ${descriptor.id}…`);
    }
  }

  if (!mayRun) {
    const needed = write ? 'responder' : 'analyst';
    return (
      <div className="refused" role="note">
        <p><strong>Your key may not run this skill.</strong> It has role {me.role}; running a {descriptor.access} skill
          needs role {needed} or higher.</p>
        <p>Ask an admin for a key with role {needed} (<code>keys create --role {needed}</code>).</p>
      </div>
    );
  }

  const output = result?.output;
  const nextCursor = output && typeof output === 'object' ? output.next_cursor : undefined;
  const checkpoint = output && typeof output === 'object' ? output.checkpoint : undefined;
  return (
    <>
      <ConnectionPicker me={me} value={connection} onChange={setConnection} id={`connection-${descriptor.id}`} />
      <SkillForm key={descriptor.id} schema={descriptor.input_schema} formData={input} onChange={setInput}
        onSubmit={submit} disabled={Boolean(busy)} idPrefix={`in-${descriptor.id}`}
        submitLabel={write ? 'Preview (dry run)' : 'Run'} />
      {busy ? <Progress label={busy} /> : null}
      <ErrorBox error={error} title={`${descriptor.id} did not run`} />
      {preview ? (
        <section className="card preview" aria-labelledby="preview-title">
          <h3 id="preview-title">Preview: what would be sent</h3>
          <p>Nothing was changed. Check the request, then confirm to run it for real.</p>
          <JsonBlock value={preview.answer.output} label="the dry run's output" />
          <div className="actions">
            <button type="button" className="primary" onClick={() => setConfirming(true)} disabled={Boolean(busy)}>Confirm and run</button>
            <button type="button" onClick={() => setPreview(null)}>Cancel</button>
          </div>
        </section>
      ) : null}
      <ConfirmDialog open={confirming} title={`Run ${descriptor.id} on ${connection}?`} confirmLabel="Run it"
        onCancel={() => setConfirming(false)}
        onConfirm={() => { setConfirming(false); run(preview.input, false, `Running ${descriptor.id}…`); }}>
        <p>This changes the customer&apos;s configuration on {connection}, as previewed.</p>
      </ConfirmDialog>
      {result ? (renderResult ? renderResult(result) : <Execution result={result} />) : null}
      {result && nextCursor && properties.cursor ? (
        <div className="actions"><button type="button" disabled={Boolean(busy)}
          onClick={() => run({ ...lastInput, cursor: nextCursor }, false, 'Loading the next page…')}>Next page</button></div>
      ) : null}
      {result && checkpoint && properties.checkpoint ? (
        <div className="actions"><button type="button" disabled={Boolean(busy)}
          onClick={() => run({ ...lastInput, checkpoint }, false, 'Continuing from the checkpoint…')}>Continue from checkpoint</button></div>
      ) : null}
    </>
  );
}

export default function Skills({ me, arg }) {
  const [skills, setSkills] = useState(null);
  const [descriptor, setDescriptor] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('GET', '/api/v1/skills').then((b) => setSkills(b.skills)).catch((e) => { setError(asApiError(e)); setSkills([]); });
  }, []);
  useEffect(() => {
    setDescriptor(null);
    if (!arg) return;
    api('GET', `/api/v1/skills/${encodeURIComponent(arg)}`).then(setDescriptor).catch((e) => setError(asApiError(e)));
  }, [arg]);

  return (
    <>
      <h1>Skills</h1>
      <ErrorBox error={error} />
      {arg ? (
        descriptor ? (
          <section className="card" aria-labelledby="skill-title">
            <h2 id="skill-title">{descriptor.title} <code>{descriptor.id}</code></h2>
            <p>{descriptor.description}</p>
            <p className="help">Access: {descriptor.access} · plugin {descriptor.plugin?.id} {descriptor.plugin?.version} ·
              needs {permissionsText(descriptor.required_permissions).join('; ') || 'no permission'}</p>
            <SkillRunner key={descriptor.id} me={me} descriptor={descriptor} />
          </section>
        ) : <Progress label={`Loading ${arg}…`} />
      ) : <p>Choose a skill to run it from a form generated from its input schema.</p>}
      {skills === null ? <Progress label="Loading the catalogue…" /> : <Catalogue skills={skills} selected={arg} />}
    </>
  );
}
