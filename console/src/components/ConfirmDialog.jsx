import { useEffect, useRef } from 'react';

/**
 * A modal confirmation (the native <dialog>: focus moves into it, Escape cancels). `open` shows it; onConfirm and
 * onCancel close it.
 */
export default function ConfirmDialog({ open, title, children, confirmLabel, danger, onConfirm, onCancel }) {
  const dialog = useRef(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) {
      return;
    }
    if (open && !d.open) {
      d.showModal?.();
      if (!d.showModal) {
        d.setAttribute('open', '');
      }
    } else if (!open && d.open) {
      d.close?.();
    }
  }, [open]);
  return (
    <dialog ref={dialog} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <div className="actions">
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>{confirmLabel}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </dialog>
  );
}
