const LABEL = { ready: 'ready', partly: 'partly', blocked: 'blocked' };

/** What to add to the token for a skill: its missing permissions, with where and when they are needed. */
function missingText(skill) {
  return (skill.missing || []).map((m) => {
    const where = [m.scope, m.resource].filter(Boolean).join(' ');
    return `${m.permission}${m.alternatives?.length ? ` (or ${m.alternatives.join(', ')})` : ''}`
      + `${where ? ` on ${where}` : ''}${m.when ? `, for ${m.when}` : ''}`;
  });
}

/** The capability matrix of `connections test`: each skill ready / partly / blocked, and what to add to the token. */
export default function Matrix({ report }) {
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
            <tr><th scope="col">Skill</th><th scope="col">Access</th><th scope="col">Status</th><th scope="col">What to add to the token</th></tr>
          </thead>
          <tbody>
            {skills.map((s) => (
              <tr key={s.id}>
                <td><code>{s.id}</code></td>
                <td>{s.access}</td>
                <td><span className={`badge ${s.status}`}>{LABEL[s.status] || s.status}</span></td>
                <td>
                  {missingText(s).length ? <ul className="plain">{missingText(s).map((t, i) => <li key={i}>{t}</li>)}</ul>
                    : (s.status === 'ready' ? 'nothing' : s.why)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
