import { useEffect, useRef } from 'react';

/** A long action under way: announced to screen readers, with an indeterminate progress bar. */
export function Progress({ label }) {
  return (
    <div className="progress" role="status" aria-live="polite">
      <progress aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

/** The service's error object, as the user needs it: what went wrong and what to do. Never a stack trace. */
export function ErrorBox({ error, title = 'That did not work' }) {
  const box = useRef(null);
  useEffect(() => {
    box.current?.focus();
  }, [error]);
  if (!error) {
    return null;
  }
  return (
    <div className="error" role="alert" tabIndex={-1} ref={box}>
      <p className="error-title"><strong>{title}</strong>{error.code ? <code>{error.code}</code> : null}</p>
      <p className="error-message">{error.message}</p>
      {error.details?.length ? (
        <ul className="error-details">
          {error.details.map((d, i) => (
            <li key={i}>{typeof d === 'string' ? d : (
              <>{d.pointer ? <code>{d.pointer}</code> : null} {d.message ?? JSON.stringify(d)}</>
            )}</li>
          ))}
          {error.detailsTotal > error.details.length ? <li>… {error.detailsTotal} in all</li> : null}
        </ul>
      ) : null}
      {error.missing?.length ? (
        <ul className="error-details">
          {error.missing.map((m, i) => (
            <li key={i}>Missing permission <strong>{m.permission}</strong>
              {m.scope ? ` (${m.scope}${m.resource ? ` ${m.resource}` : ''})` : ''}</li>
          ))}
        </ul>
      ) : null}
      {error.remediation ? <p className="error-remediation"><strong>What to do:</strong> {error.remediation}</p> : null}
    </div>
  );
}

/** A done action, announced. */
export function Notice({ children }) {
  return children ? <p className="notice" role="status">{children}</p> : null;
}
