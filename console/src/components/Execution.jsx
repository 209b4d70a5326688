import ResultView from './ResultView.jsx';

/** One execution's answer: id, status, cf-ray ids and duration, then the output. */
export default function Execution({ result, title = 'Result' }) {
  return (
    <section className="card" aria-labelledby={`result-${result.execution_id}`}>
      <h3 id={`result-${result.execution_id}`}>{title}</h3>
      <dl className="facts">
        <div><dt>Execution</dt><dd><a href={`#/executions/${encodeURIComponent(result.execution_id)}`}><code>{result.execution_id}</code></a></dd></div>
        <div><dt>Status</dt><dd>{result.status}</dd></div>
        {result.duration_ms !== undefined ? <div><dt>Duration</dt><dd>{result.duration_ms} ms</dd></div> : null}
        {result.request_ids?.length ? <div><dt>Request ids (cf-ray)</dt><dd>{result.request_ids.join(', ')}</dd></div> : null}
      </dl>
      <ResultView output={result.output} />
    </section>
  );
}
