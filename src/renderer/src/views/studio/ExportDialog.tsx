import { type ReactElement, useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ComicVersion, PanelCut } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage, isErrorKind } from '../../api/errors';
import { useInertBackground } from '../../hooks/use-inert-background';
import { type Rect, sameRects } from './cut-math';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  exportProblem,
  isExportConflict,
  needsPanels,
  PRINT_SIZES,
  type PrintSize,
  rememberedFolder,
  rememberFolder,
} from './export-options';
import { PanelCutEditor } from './PanelCutEditor';

/**
 * Export the version shown (or every finished version) as a page PNG, panel PNGs, a PDF or a
 * CBZ into a folder. Existing files are replaced only after the user says so.
 */
export function ExportDialog({
  version,
  versionNumber,
  finishedIds,
  canPickFolder,
  defaultFolder,
  onClose,
}: {
  version: ComicVersion;
  versionNumber: number;
  finishedIds: number[];
  canPickFolder: boolean;
  /** Where exports go without asking (the data folder's exports). */
  defaultFolder: string;
  onClose(): void;
}): ReactElement {
  useInertBackground();
  const [formats, setFormats] = useState<Set<ExportFormat>>(() => new Set(['panels']));
  const [folder, setFolder] = useState(() => rememberedFolder() || defaultFolder);
  const [pdfSize, setPdfSize] = useState<PrintSize>('A4');
  const [pdfPerPanel, setPdfPerPanel] = useState(false);
  const [allVersions, setAllVersions] = useState(false);
  const [cut, setCut] = useState<PanelCut | null>(null);
  const [rects, setRects] = useState<Rect[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  /** The core writes only into folders the user chose: a typed one is confirmed here first. */
  const [unconfirmed, setUnconfirmed] = useState<string | null>(null);
  const [written, setWritten] = useState<string[] | null>(null);
  const choice = { formats, folder, pdfSize, pdfPerPanel };
  const showCuts = needsPanels(choice) && !allVersions;

  useEffect(() => {
    api['studio:panels']({ versionId: version.id })
      .then((found) => {
        setCut(found);
        setRects(found.rects);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [version.id]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busy) {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [busy, onClose]);

  const toggleFormat = (id: ExportFormat) =>
    setFormats((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const pick = async () => {
    try {
      const picked = await api['studio:pick-folder']({});
      if (picked.path) setFolder(picked.path);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const run = async (overwrite: boolean) => {
    const problem = exportProblem(choice);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    setConflict(null);
    setUnconfirmed(null);
    setWritten(null);
    const adjusted = cut && rects.length > 0 && !sameRects(rects, cut.rects);
    try {
      const result = await api['studio:export']({
        versionIds: allVersions ? finishedIds : [version.id],
        formats: [...formats],
        folder: folder.trim(),
        ...(adjusted && showCuts ? { cuts: { [String(version.id)]: rects } } : {}),
        ...(formats.has('pdf') ? { pdf: { size: pdfSize, perPanel: pdfPerPanel } } : {}),
        overwrite,
      });
      rememberFolder(folder.trim());
      setWritten(result.files);
    } catch (e) {
      if (isExportConflict(e)) setConflict(errorMessage(e));
      else if (isErrorKind(e, 'ExportFolderError') && !canPickFolder) setUnconfirmed(folder.trim());
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const confirmFolder = async () => {
    if (!unconfirmed) return;
    try {
      const { path } = await api['studio:confirm-folder']({ path: unconfirmed, confirmed: true });
      setFolder(path);
      setUnconfirmed(null);
      await run(false);
    } catch (e) {
      setUnconfirmed(null);
      setError(errorMessage(e));
    }
  };

  return createPortal(
    <div className="modal-backdrop">
      <div className="dialog export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-title">
        <h2 id="export-title">Export v{versionNumber}</h2>
        <div className="export-layout">
          <div className="export-form">
            <fieldset className="studio-field">
              <legend className="field-label">Formats</legend>
              {EXPORT_FORMATS.map((f) => (
                <label key={f.id} className="check-row">
                  <input
                    type="checkbox"
                    data-testid={`export-format-${f.id}`}
                    checked={formats.has(f.id)}
                    onChange={() => toggleFormat(f.id)}
                  />
                  <span>
                    {f.label} <span className="muted small">{f.detail}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            {formats.has('pdf') && (
              <fieldset className="studio-field">
                <legend className="field-label">PDF</legend>
                <div className="option-row">
                  <label className="option">
                    <span className="field-label">Paper</span>
                    <select
                      className="select"
                      data-testid="export-pdf-size"
                      value={pdfSize}
                      onChange={(event) => setPdfSize(event.target.value as PrintSize)}
                    >
                      {PRINT_SIZES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="option">
                    <span className="field-label">Each PDF page holds</span>
                    <select
                      className="select"
                      value={pdfPerPanel ? 'panel' : 'page'}
                      onChange={(event) => setPdfPerPanel(event.target.value === 'panel')}
                    >
                      <option value="page">the whole comic page</option>
                      <option value="panel">one panel</option>
                    </select>
                  </label>
                </div>
              </fieldset>
            )}
            {finishedIds.length > 1 && (
              <label className="check-row">
                <input
                  type="checkbox"
                  checked={allVersions}
                  onChange={(e) => setAllVersions(e.target.checked)}
                />
                <span>All {finishedIds.length} finished versions (panels are cut as detected)</span>
              </label>
            )}
            <div className="studio-field">
              <label className="field-label" htmlFor="export-folder">
                Folder
              </label>
              <div className="field-row">
                <input
                  // biome-ignore lint/a11y/noAutofocus: the dialog opens to ask for this folder.
                  autoFocus
                  id="export-folder"
                  className="text-input"
                  data-testid="export-folder-input"
                  placeholder="/home/you/Comics"
                  value={folder}
                  onChange={(event) => setFolder(event.target.value)}
                  spellCheck={false}
                />
                {canPickFolder && (
                  <button type="button" className="button" onClick={() => void pick()}>
                    Choose…
                  </button>
                )}
              </div>
            </div>
            {error && (
              <p className="field-error" role="alert" data-testid="export-error">
                {error}
              </p>
            )}
            {unconfirmed && (
              <div className="export-conflict" role="alert" data-testid="export-folder-confirm">
                <p>
                  Save comics in <span className="path">{unconfirmed}</span>? Komorebi writes exports only
                  into folders you confirm (or {defaultFolder}).
                </p>
                <button
                  type="button"
                  className="button button-primary"
                  data-testid="export-folder-confirm-use"
                  disabled={busy}
                  onClick={() => void confirmFolder()}
                >
                  Use this folder
                </button>
              </div>
            )}
            {conflict && (
              <div className="export-conflict" role="alert" data-testid="export-conflict">
                <p>{conflict}</p>
                <button
                  type="button"
                  className="button button-danger"
                  data-testid="export-overwrite"
                  disabled={busy}
                  onClick={() => void run(true)}
                >
                  Replace these files
                </button>
              </div>
            )}
            {written && (
              <div className="export-result" data-testid="export-result" data-count={written.length}>
                <p>Saved {written.length === 1 ? '1 file' : `${written.length} files`}:</p>
                <ul>
                  {written.map((file) => (
                    <li key={file} className="path" data-testid="export-file">
                      {file}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
          {showCuts && (
            <div className="export-preview">
              {cut ? (
                <>
                  <PanelCutEditor image={version.image!} cut={cut} rects={rects} onChange={setRects} />
                  {!sameRects(rects, cut.rects) && (
                    <button type="button" className="link-button" onClick={() => setRects(cut.rects)}>
                      Reset to the detected panels
                    </button>
                  )}
                </>
              ) : (
                <p className="muted">Finding the panels…</p>
              )}
            </div>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {written ? 'Done' : 'Cancel'}
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="export-confirm"
            disabled={busy || exportProblem(choice) !== null}
            onClick={() => void run(false)}
          >
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
