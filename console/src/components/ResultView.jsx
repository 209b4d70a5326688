/** JSON, indented, in a scrollable block. */
export function JsonBlock({ value, label }) {
  return (
    <pre className="json" tabIndex={0} aria-label={label}>{JSON.stringify(value, null, 2)}</pre>
  );
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether `value` is a non-empty array whose items are all objects: what a table shows well. */
export function isTable(value) {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/** The columns of a table of objects: every key, in the order first met. */
export function columnsOf(rows) {
  const columns = [];
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!columns.includes(key)) {
        columns.push(key);
      }
    }
  }
  return columns;
}

export function cellText(value) {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

const CELL_MAX = 120;

/** An array of objects as a table: one column per key, nested values as compact JSON. */
export function ObjectTable({ rows, caption, hideCaption }) {
  const columns = columnsOf(rows);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        {/* hidden where a label beside the table already shows it (evidence: records) */}
        <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const text = cellText(row[c]);
                // a long nested value is cut in the table; the raw JSON below has it whole
                return text.length > CELL_MAX
                  ? <td key={c} title={text}>{`${text.slice(0, CELL_MAX)}…`}</td> : <td key={c}>{text}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every array of objects in `output` (the output itself, or its top-level fields), with the path to it. */
export function tablesIn(output) {
  if (isTable(output)) {
    return [{ name: 'output', rows: output }];
  }
  if (!isPlainObject(output)) {
    return [];
  }
  return Object.entries(output).filter(([, v]) => isTable(v)).map(([name, rows]) => ({ name, rows }));
}

/** A skill's output: each array of objects as a table, the scalar fields as a list, then the whole as JSON. */
export default function ResultView({ output }) {
  const tables = tablesIn(output);
  const scalars = isPlainObject(output)
    ? Object.entries(output).filter(([, v]) => v === null || typeof v !== 'object') : [];
  return (
    <div className="result">
      {scalars.length ? (
        <dl className="facts">
          {scalars.map(([k, v]) => (
            <div key={k}><dt>{k}</dt><dd>{cellText(v)}</dd></div>
          ))}
        </dl>
      ) : null}
      {tables.map((t) => <ObjectTable key={t.name} rows={t.rows} caption={`${t.name} (${t.rows.length})`} />)}
      <details open={tables.length === 0}>
        <summary>Raw JSON</summary>
        <JsonBlock value={output} label="the output as JSON" />
      </details>
    </div>
  );
}
