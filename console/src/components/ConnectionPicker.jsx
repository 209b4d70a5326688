/** Which stored connection a skill runs on: the ones the key may use (from /api/v1/me). */
export default function ConnectionPicker({ me, value, onChange, id = 'connection' }) {
  const connections = me.connections || [];
  return (
    <div className="field">
      <label htmlFor={id}>Connection</label>
      {connections.length ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {connections.map((c) => <option key={c.id} value={c.id}>{c.id} ({c.type})</option>)}
        </select>
      ) : (
        <>
          <input id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-help`} />
          <p id={`${id}-help`} className="help">No stored connection is open to this key; an admin adds one under Connections.</p>
        </>
      )}
    </div>
  );
}
