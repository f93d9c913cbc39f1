import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import type {
  ComicGenerationOptions,
  ComicReference,
  ComicVersion,
  PageRect,
  StudioModelSetting,
} from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApp } from '../../app-context';
import { PrevIcon } from '../../components/icons';
import { ComicCanvas } from './ComicCanvas';
import { ExportDialog } from './ExportDialog';
import { InlineTitle } from './InlineTitle';
import { formatCost, formatTokens } from './live-progress';
import { ModelNotices } from './ModelNotices';
import { PanelPicker } from './PanelPicker';
import { PromptPanel } from './PromptPanel';
import { ReferenceStrip } from './ReferenceStrip';
import { referencesRequest } from './references';
import { useComicSession } from './use-comic-session';
import { useNow } from './use-now';
import { usePromptDraft } from './use-prompt-draft';
import { VersionHistory } from './VersionHistory';
import { defaultVersionId, versionTree } from './version-tree';

/** One comic: references, prompt and options, the page as it is drawn, its versions, export. */
export function StudioSession({ sessionId, onClose }: { sessionId: number; onClose(): void }): ReactElement {
  const { info, navigate } = useApp();
  const { session, missing, options, live, loadError, reload, setSession, setOptions } =
    useComicSession(sessionId);
  const [references, setReferences] = useState<ComicReference[] | null>(null);
  const [genOptions, setGenOptions] = useState<ComicGenerationOptions | null>(null);
  const [prompt, setPrompt] = usePromptDraft(sessionId);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [fromScratch, setFromScratch] = useState(false);
  const [lastRun, setLastRun] = useState<number[]>([]);
  const [compareWith, setCompareWith] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [exporting, setExporting] = useState(false);
  /** Choosing a panel of the version shown (null: not choosing), then the panel chosen. */
  const [redraw, setRedraw] = useState<{
    versionId: number;
    rect: PageRect | null;
    panel: number | null;
  } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const versions = session?.versionList ?? [];
  const numbers = useMemo(
    () => new Map(versionTree(versions).map((n) => [n.version.id, n.number])),
    [versions],
  );

  // First load: the session's own references, options and newest finished version.
  useEffect(() => {
    if (!session) return;
    setReferences((current) => current ?? session.references);
    setGenOptions((current) => current ?? session.options);
    if (options && !options.styles.some((s) => s.id === session.options.style) && options.styles[0]) {
      // The style this comic last used was deleted: start from the first one instead.
      const first = options.styles[0].id;
      setGenOptions((current) =>
        current && current.style === session.options.style ? { ...current, style: first } : current,
      );
    }
    setSelectedId((current) => current ?? defaultVersionId(session.versionList));
  }, [session, options]);

  // The session (reloaded after each final event) says what is drawing, so the last partial
  // stays on screen until the finished page is there to replace it.
  const drawingIds = versions.filter((v) => v.state === 'generating').map((v) => v.id);
  const drawing = drawingIds.length > 0 || starting;
  const now = useNow(drawingIds.length > 0);

  // When the run ends, show its first finished page (or its failure), and clear a prompt that worked.
  useEffect(() => {
    if (lastRun.length === 0 || !session) return;
    const runVersions = lastRun.map((id) => session.versionList.find((v) => v.id === id));
    if (runVersions.some((v) => !v || v.state === 'generating')) return;
    const done = runVersions.find((v) => v?.state === 'done');
    setSelectedId(done?.id ?? lastRun[0]!);
    if (done) {
      setPrompt('');
      setFromScratch(false);
      setRedraw(null);
    }
    setLastRun([]);
  }, [session, lastRun, setPrompt]);

  const selected = versions.find((v) => v.id === selectedId) ?? null;
  // A failed or cancelled version is retried from what it refined, so the next prompt still
  // changes the page the user was working on.
  const base =
    selected?.state === 'done'
      ? selected
      : (versions.find((v) => v.id === selected?.parentId && v.state === 'done') ?? null);
  const refineFrom = fromScratch ? null : base;
  const redrawing =
    redraw?.rect && redraw.versionId === base?.id ? { rect: redraw.rect, panel: redraw.panel } : null;

  const saveReferences = async (next: ComicReference[]) => {
    const before = references;
    setReferences(next);
    setActionError(null);
    try {
      const saved = await api['studio:references']({ id: sessionId, references: referencesRequest(next) });
      setSession(saved);
      setReferences(saved.references);
    } catch (e) {
      setReferences(before);
      setActionError(errorMessage(e));
    }
  };

  const generate = async () => {
    if (!genOptions || drawing) return;
    setActionError(null);
    setNotice(null);
    setCompareWith(null);
    setStarting(true);
    try {
      const parent = redrawing ? base : refineFrom;
      const { versionIds } = await api['studio:generate']({
        id: sessionId,
        prompt: prompt.trim(),
        options: genOptions,
        ...(parent ? { parentVersionId: parent.id } : {}),
        ...(redrawing ? { region: redrawing.rect } : {}),
      });
      setLastRun(versionIds);
      await reload();
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    try {
      await api['studio:cancel']({ id: sessionId });
    } catch (e) {
      setActionError(errorMessage(e));
    }
    await reload();
  };

  /** The one-click fixes: a model setting switched (a notice, or a failure naming a model that is gone). */
  const switchModel = async (setting: StudioModelSetting, value: string, to: string) => {
    setActionError(null);
    try {
      await api['studio:settings']({ [setting]: value });
      setOptions(await api['studio:options']({}));
      await reload();
      setNotice(`Now drawing with ${to}. Your prompt, photos and versions are as they were: generate again.`);
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };
  const onFix = (fix: NonNullable<ComicVersion['fix']>) => void switchModel(fix.setting, fix.value, fix.to);
  const onPickerError = useCallback((m: string) => setActionError(m), []);

  const rename = async (title: string) => {
    try {
      setSession(await api['studio:rename']({ id: sessionId, title }));
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };

  if (missing) {
    return (
      <div className="page" data-testid="studio-view">
        <div className="empty-state">
          <h2>This comic is gone</h2>
          <p className="muted">It was deleted (perhaps in another window).</p>
          <button type="button" className="button" onClick={onClose}>
            Back to comics
          </button>
        </div>
      </div>
    );
  }
  if (!session || !options || !references || !genOptions) {
    return (
      <div className="page" data-testid="studio-view">
        {loadError ? (
          <div className="banner banner-error" role="alert" data-testid="studio-error">
            {loadError}
          </div>
        ) : (
          <p className="muted studio-loading">Opening the comic…</p>
        )}
      </div>
    );
  }

  const compare: [number, number] | null =
    compareWith !== null && selectedId !== null && compareWith !== selectedId
      ? [selectedId, compareWith]
      : null;
  const error = actionError ?? loadError;

  return (
    <div className="studio" data-testid="studio-view" data-session-id={session.id}>
      <header className="view-header studio-header">
        <div className="view-title">
          <button
            type="button"
            className="button button-quiet"
            onClick={onClose}
            aria-label="Back to all comics"
          >
            <PrevIcon /> Comics
          </button>
          <InlineTitle as="h1" title={session.title} onRename={rename} />
        </div>
        <div className="studio-header-actions">
          <span className="muted small" data-testid="studio-totals">
            This comic: {formatTokens(session.totals.tokens)} · {formatCost(session.totals.costUsd)}
          </span>
          <button
            type="button"
            className="button"
            data-testid="studio-redraw-button"
            disabled={selected?.state !== 'done' || drawing}
            aria-pressed={redraw !== null}
            title="Pick one panel of this version and say what to change in it; the rest of the page stays as it is"
            onClick={() =>
              setRedraw(redraw ? null : selected ? { versionId: selected.id, rect: null, panel: null } : null)
            }
          >
            {redraw ? 'Keep the whole page' : 'Redraw a panel…'}
          </button>
          <button
            type="button"
            className="button"
            data-testid="studio-export-button"
            disabled={selected?.state !== 'done'}
            title={
              selected?.state === 'done'
                ? 'Save this version as images, PDF or CBZ'
                : 'Pick a finished version to export'
            }
            onClick={() => setExporting(true)}
          >
            Export…
          </button>
        </div>
      </header>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="studio-error">
          {error}
          {/key/i.test(error) && /settings/i.test(error) && (
            <button type="button" className="button button-quiet" onClick={() => navigate('settings')}>
              Open Settings
            </button>
          )}
        </div>
      )}
      <ModelNotices
        models={options.models}
        onSwitch={(setting, model) => void switchModel(setting, model, model)}
      />
      {notice && !error && (
        <div className="banner banner-warn" role="status" data-testid="studio-notice">
          {notice}
        </div>
      )}
      <ReferenceStrip
        references={references}
        disabled={drawing}
        onChange={(next) => void saveReferences(next)}
      />
      <div className="studio-body">
        <PromptPanel
          options={options}
          onOptions={setOptions}
          genOptions={genOptions}
          onGenOptions={setGenOptions}
          prompt={prompt}
          onPrompt={setPrompt}
          hasVersions={versions.length > 0}
          refineFrom={refineFrom ? { id: refineFrom.id, number: numbers.get(refineFrom.id) ?? 0 } : null}
          redrawPanel={redrawing ? (redrawing.panel ?? 0) : null}
          choosingPanel={redraw !== null && !redrawing}
          canRefine={base !== null}
          onFromScratch={setFromScratch}
          fromScratch={fromScratch}
          included={references.filter((r) => r.included).length}
          drawing={drawing}
          cancellable={drawingIds.length > 0}
          onGenerate={() => void generate()}
          onCancel={() => void cancel()}
          onError={setActionError}
        />
        <div className="studio-stage">
          {redraw && selected?.state === 'done' && drawingIds.length === 0 ? (
            <div className="canvas">
              <PanelPicker
                version={selected}
                number={numbers.get(selected.id) ?? 0}
                chosen={redraw.panel}
                onPick={(rect, panel) => setRedraw({ versionId: selected.id, rect, panel })}
                onError={onPickerError}
              />
            </div>
          ) : (
            <ComicCanvas
              versions={versions}
              numbers={numbers}
              live={live}
              drawingIds={drawingIds}
              selected={selected}
              compare={compare}
              now={now}
              onCloseCompare={() => setCompareWith(null)}
              onFix={onFix}
            />
          )}
          {selected && selected.state === 'done' && drawingIds.length === 0 && !compare && (
            <p className="studio-cost muted small" data-testid="studio-cost">
              v{numbers.get(selected.id)}: {formatTokens(selected.tokens)} · {formatCost(selected.costUsd)}
              {' · '}
              {selected.imageModel && !selected.model.startsWith(selected.imageModel)
                ? `${selected.model} + ${selected.imageModel}`
                : selected.model}{' '}
              · estimated; this comic so far: {formatTokens(session.totals.tokens)} ·{' '}
              {formatCost(session.totals.costUsd)}
            </p>
          )}
        </div>
        <VersionHistory
          versions={versions}
          live={live}
          selectedId={selectedId}
          compareIds={compare}
          onSelect={(id) => {
            setSelectedId(id);
            setFromScratch(false);
            setRedraw(null);
            if (id === compareWith) setCompareWith(null);
          }}
          onCompare={(id) => setCompareWith((current) => (current === id ? null : id))}
        />
      </div>
      {exporting && selected?.state === 'done' && (
        <ExportDialog
          version={selected}
          versionNumber={numbers.get(selected.id) ?? 0}
          finishedIds={versions.filter((v) => v.state === 'done').map((v) => v.id)}
          canPickFolder={info?.canPickFolders ?? false}
          defaultFolder={options?.exportFolder ?? ''}
          onClose={() => setExporting(false)}
        />
      )}
    </div>
  );
}
