import { useEffect, useState } from 'react';
import { api, asApiError } from '../api.js';
import { ErrorBox, Progress } from '../components/Feedback.jsx';
import { SkillRunner } from './Skills.jsx';
import { JsonBlock, ObjectTable, isTable } from '../components/ResultView.jsx';

const SKILL = 'cloudflare_review_security_posture';
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const rank = (s) => { const i = SEVERITIES.indexOf(s); return i < 0 ? SEVERITIES.length : i; };

/** Evidence as the user reads it: a short list of its fields, tables for its arrays of objects. */
function Evidence({ value }) {
  if (value === null || typeof value !== 'object') {
    return <span>{String(value ?? '')}</span>;
  }
  return (
    <dl className="evidence">
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{isTable(v) ? <ObjectTable rows={v} caption={k} hideCaption />
            : (v !== null && typeof v === 'object' ? <code>{JSON.stringify(v)}</code> : <code>{String(v)}</code>)}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The review's output, read generically: a summary of counts per severity, then per zone its findings (severity,
 * title, evidence, remediation), the checks that passed and the ones skipped for a missing permission.
 */
export function Review({ output }) {
  const zones = Array.isArray(output?.zones) ? output.zones : [];
  const summary = output?.summary && typeof output.summary === 'object' ? output.summary : null;
  return (
    <div className="review">
      {summary ? (
        <ul className="summary" aria-label="Findings by severity">
          {Object.entries(summary).sort(([a], [b]) => rank(a) - rank(b)).map(([severity, n]) => (
            <li key={severity} className={`sev sev-${severity}`}><strong>{n}</strong> {severity}</li>
          ))}
        </ul>
      ) : null}
      {zones.map((zone, zi) => {
        const findings = [...(zone.findings || [])].sort((a, b) => rank(a.severity) - rank(b.severity));
        const name = zone.zone_name || zone.name || zone.zone_id || `zone ${zi + 1}`;
        return (
          <section key={zone.zone_id || zi} className="card zone" aria-labelledby={`zone-${zi}`}>
            <h3 id={`zone-${zi}`}>{name} <span className="help">{findings.length} finding(s)</span></h3>
            {findings.length === 0 ? <p>No finding.</p> : (
              <ul className="findings">
                {findings.map((f, i) => (
                  <li key={`${f.id}-${i}`} className="finding">
                    <p><span className={`sev sev-${f.severity}`}>{f.severity}</span> <strong>{f.title || f.id}</strong> <code>{f.id}</code></p>
                    {f.evidence !== undefined ? <div><span className="label">Evidence</span><Evidence value={f.evidence} /></div> : null}
                    {f.remediation ? <p><span className="label">Remediation</span> {f.remediation}</p> : null}
                  </li>
                ))}
              </ul>
            )}
            {zone.skipped?.length ? (
              <div><h4>Skipped</h4>
                <ul>{zone.skipped.map((s, i) => <li key={i}>{typeof s === 'object' ? Object.values(s).join(' — ') : String(s)}</li>)}</ul>
              </div>
            ) : null}
            {zone.checks?.length ? (
              <details><summary>All checks ({zone.checks.length})</summary>
                <ObjectTable rows={zone.checks} caption={`checks of ${name}`} />
              </details>
            ) : null}
          </section>
        );
      })}
      <details><summary>Raw JSON</summary><JsonBlock value={output} label="the review as JSON" /></details>
    </div>
  );
}

export default function Posture({ me }) {
  const [descriptor, setDescriptor] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('GET', `/api/v1/skills/${SKILL}`).then(setDescriptor).catch((e) => setError(asApiError(e)));
  }, []);
  return (
    <>
      <h1>Posture review</h1>
      <p>Finds the gaps in a Cloudflare configuration in one call: WAF, blocked addresses, login rate limits, TLS,
        HTTPS, HSTS, SPF and DMARC. Each finding has its evidence and a remediation.</p>
      <ErrorBox error={error} title="The review is not available" />
      {descriptor ? (
        <section className="card" aria-label="Run the review">
          <SkillRunner me={me} descriptor={descriptor} renderResult={(result) => (
            <section aria-labelledby="review-title">
              <h2 id="review-title">Findings</h2>
              <p className="help">Execution <a href={`#/executions/${encodeURIComponent(result.execution_id)}`}><code>{result.execution_id}</code></a> · {result.duration_ms} ms</p>
              <Review output={result.output} />
            </section>
          )} />
        </section>
      ) : (!error ? <Progress label="Loading the review…" /> : null)}
    </>
  );
}
