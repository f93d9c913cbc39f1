import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import { limits } from '../../../../shared/limits';
import type { DuplicateGroup } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatCount } from '../../format';
import { useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';
import { PhotoListLightbox } from '../similar/PhotoListLightbox';
import { formatScore } from '../similar/similar-search';
import { DuplicateGroupCard } from './DuplicateGroupCard';
import {
  choose,
  groupsLosingEveryCopy,
  type MarkChoices,
  markedIds,
  summary,
  trashQuestion,
} from './duplicate-marks';

const THRESHOLD_KEY = 'komorebi.duplicateThreshold';
const DEFAULT_THRESHOLD = limits.duplicates.threshold.default;
const GROUP_LIMIT = limits.duplicates.groups.default;

function initialThreshold(): number {
  const stored = Number(localStorage.getItem(THRESHOLD_KEY) ?? Number.NaN);
  const { min, max } = limits.duplicates.threshold;
  return stored >= min && stored <= max ? stored : DEFAULT_THRESHOLD;
}

interface TrashOutcome {
  trashed: number;
  failed: { id: number; reason: string }[];
}

export function DuplicatesView(): ReactElement {
  const [threshold, setThreshold] = useState(initialThreshold);
  // What the core was asked with: the slider settles before asking (each answer scans the library).
  const [asked, setAsked] = useState(threshold);
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [choices, setChoices] = useState<MarkChoices>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [trashing, setTrashing] = useState(false);
  const [outcome, setOutcome] = useState<TrashOutcome | null>(null);
  const [reloads, setReloads] = useState(0);
  const [viewing, setViewing] = useState<{ photos: DuplicateGroup['photos']; index: number } | null>(null);
  const openPhoto = useCallback(
    (group: DuplicateGroup, index: number) => setViewing({ photos: group.photos, index }),
    [],
  );
  const closePhoto = useCallback(() => setViewing(null), []);
  const showPhoto = useCallback((index: number) => setViewing((v) => (v ? { ...v, index } : v)), []);

  useEffect(() => {
    localStorage.setItem(THRESHOLD_KEY, String(threshold));
    const timer = setTimeout(() => setAsked(threshold), 350);
    return () => clearTimeout(timer);
  }, [threshold]);

  useEffect(() => {
    void reloads;
    let current = true;
    setLoading(true);
    api['photos:duplicates']({ threshold: asked, limit: GROUP_LIMIT })
      .then(({ groups: next }) => {
        if (!current) return;
        setGroups(next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (current) setError(errorMessage(e));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [asked, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  useThrottledEvent('library:changed', reload, 5000);
  useReconnect(reload);

  const list = useMemo(() => groups ?? [], [groups]);
  const marked = useMemo(() => markedIds(list, choices), [list, choices]);
  const losing = useMemo(() => groupsLosingEveryCopy(list, choices), [list, choices]);
  const counts = summary(list);
  const onMark = useCallback(
    (photoId: number, mark: boolean) => setChoices((c) => choose(c, photoId, mark)),
    [],
  );
  const cancel = useCallback(() => setConfirming(false), []);

  const moveToTrash = async () => {
    setConfirming(false);
    setTrashing(true);
    setOutcome(null);
    try {
      // What the window showed: a file whose content changed since is not moved.
      const shown = new Map(list.flatMap((g) => g.photos.map((p) => [p.id, p.hash] as const)));
      const hashes = marked.map((id) => shown.get(id));
      const all = hashes.every((h): h is string => h !== undefined);
      const result = await api['photos:trash']({
        ids: marked,
        hashes: all ? hashes : undefined,
        confirmed: true,
      });
      setOutcome(result);
      const failedIds = new Set(result.failed.map((f) => f.id));
      // Trashed files are gone; forget their ticks so a reload starts clean for them.
      setChoices((c) => new Map([...c].filter(([id]) => failedIds.has(id) || !marked.includes(id))));
      reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setTrashing(false);
    }
  };

  return (
    <div className="page duplicates" data-testid="duplicates-view">
      <header className="view-header">
        <div className="view-title">
          <h1>Duplicates</h1>
          {groups && (
            <span className="muted" data-testid="duplicates-summary">
              {counts.exact + counts.near === 0
                ? 'none found'
                : `${formatCount(counts.exact)} same file · ${formatCount(counts.near)} look alike · ${formatCount(
                    counts.extra,
                  )} extra ${counts.extra === 1 ? 'copy' : 'copies'}`}
            </span>
          )}
          {loading && <span className="muted small">Looking…</span>}
        </div>
        <div className="duplicates-actions">
          <label className="similar-threshold" title="How alike two photos must be to count as look-alikes">
            <span>Look alike at</span>
            <input
              type="range"
              min={0.8}
              max={0.99}
              step={0.01}
              value={threshold}
              data-testid="duplicates-threshold"
              onChange={(event) => setThreshold(Number(event.target.value))}
            />
            <output className="similar-threshold-value">{formatScore(threshold)}</output>
          </label>
          <button
            type="button"
            className="button button-danger"
            data-testid="trash-button"
            disabled={marked.length === 0 || trashing}
            onClick={() => setConfirming(true)}
          >
            {trashing ? 'Moving to Trash…' : `Move selected to Trash… (${formatCount(marked.length)})`}
          </button>
        </div>
      </header>
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      <div className="page-body duplicates-body">
        {outcome && (
          <div
            className={
              outcome.failed.length > 0 ? 'card duplicates-outcome has-failures' : 'card duplicates-outcome'
            }
            data-testid="trash-outcome"
            role="status"
          >
            <p>
              Moved {formatCount(outcome.trashed)} {outcome.trashed === 1 ? 'file' : 'files'} to the Trash.
              You can restore them from the Trash of your system.
            </p>
            {outcome.failed.length > 0 && (
              <>
                <p className="field-error">
                  {formatCount(outcome.failed.length)}{' '}
                  {outcome.failed.length === 1 ? 'file was' : 'files were'} not moved:
                </p>
                <ul className="duplicates-failures" data-testid="trash-failures">
                  {outcome.failed.map((f) => (
                    <li key={f.id}>{f.reason}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        {groups === null && !error && <p className="muted">Looking for duplicates…</p>}
        {groups && groups.length === 0 && (
          <p className="empty-inline" data-testid="duplicates-empty">
            No duplicates at this threshold. Lower it to find photos that look a little less alike.
          </p>
        )}
        {list.map((group) => (
          <DuplicateGroupCard
            key={`${group.kind}-${group.keepId}`}
            group={group}
            choices={choices}
            onMark={onMark}
            onOpen={openPhoto}
          />
        ))}
        {list.length >= GROUP_LIMIT && (
          <p className="muted small">
            Showing the first {formatCount(GROUP_LIMIT)} groups; clean these up to see more.
          </p>
        )}
      </div>
      {viewing && (
        <PhotoListLightbox
          photos={viewing.photos}
          index={viewing.index}
          onIndexChange={showPhoto}
          onClose={closePhoto}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={trashQuestion(marked.length)}
          confirmLabel="Move to Trash"
          danger
          onConfirm={() => void moveToTrash()}
          onCancel={cancel}
        >
          <p data-testid="trash-count">
            {formatCount(marked.length)} {marked.length === 1 ? 'file goes' : 'files go'} to the system Trash.
            Nothing is deleted for good: you can restore them from the Trash.
          </p>
          {losing.length > 0 && (
            <p className="field-error" data-testid="trash-every-copy">
              In {formatCount(losing.length)} {losing.length === 1 ? 'group' : 'groups'} every copy is
              selected: no copy of {losing.length === 1 ? 'that picture' : 'those pictures'} will stay in your
              folders.
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
