const LABEL = { ready: 'ready', partly: 'partly', blocked: 'blocked' };

const where = (m) => [m.scope, m.resource].filter(Boolean).join(' ');

/**
 * What to do for one missing permission: add it to the token, or, for an OAuth connection (whose permissions are the
 * scopes approved on the consent page), reconnect and approve the scope that grants it.
 */
function fixText(m, oauth) {
  const on = where(m) ? ` on ${where(m)}` : '';
  const alternatives = m.alternatives?.length ? ` (or ${m.alternatives.join(', ')})` : '';
  const when = m.when ? `, for ${m.when}` : '';
  if (oauth) {
    return `Reconnect and approve the scope that grants ${m.permission}${alternatives}${on}${when}`;
  }
  return `${m.permission}${alternatives}${on}${when}`;
}

/** The optional permissions a skill lacks: it runs without them, without what they enable. */
function optionalMissing(skill) {
  return (skill.optional || []).filter((o) => o.granted === 'no');
}

/** The API's explanation without its pointers into the JSON ("(see optional)"), which the matrix shows itself. */
const plainWhy = (why) => (why || '').replace(/\s*\(see [^)]*\)/g, '');

/**
 * The capability matrix of `connections test`: each skill ready / partly / blocked, and what to add to the token (or,
 * when `method` is oauth, what to approve when reconnecting), with the optional permissions it lacks.
 */
export default function Matrix({ report, method }) {
  const oauth = method === 'oauth';
  const skills = report.skills || [];
  const count = (s) => skills.filter((k) => k.status === s).length;
  return (
    <section aria-labelledby={`matrix-${report.connection}`} className="matrix">
      <h3 id={`matrix-${report.connection}`}>What {report.connection} can do</h3>
      <p>
        {report.verified === false ? <span className="badge blocked">credential not verified</span>
          : <span className="badge ready">credential verified</span>}{' '}
        {count('ready')} ready · {count('partly')} partly · {count('blocked')} blocked
        {report.permissions?.basis ? ` (permissions ${report.permissions.basis})` : ''}
      </p>
      {report.reason ? <p>{report.reason}</p> : null}
      {report.warnings?.length ? <ul>{report.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`capability matrix of ${report.connection}`}>
        <table>
          <thead>
            <tr><th scope="col">Skill</th><th scope="col">Access</th><th scope="col">Status</th>
              <th scope="col">{oauth ? 'What to approve' : 'What to add to the token'}</th></tr>
          </thead>
          <tbody>
            {skills.map((s) => {
              const required = (s.missing || []).map((m) => fixText(m, oauth));
              const optional = optionalMissing(s);
              return (
                <tr key={s.id}>
                  <td><code>{s.id}</code></td>
                  <td>{s.access}</td>
                  <td><span className={`badge ${s.status}`}>{LABEL[s.status] || s.status}</span></td>
                  <td>
                    {required.length ? <ul className="plain">{required.map((t, i) => <li key={i}>{t}</li>)}</ul> : null}
                    {!required.length && !optional.length ? (s.status === 'ready' ? 'nothing' : plainWhy(s.why)) : null}
                    {optional.length ? (
                      <>
                        {!required.length ? <span>{plainWhy(s.why)}. </span> : null}
                        <span className="optional-label">Optional, not held:</span>
                        <ul className="plain">
                          {optional.map((o, i) => (
                            <li key={i}>{fixText(o, oauth)}{o.enables ? ` (enables ${o.enables})` : ''}</li>
                          ))}
                        </ul>
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
