import type { ReactElement } from 'react';
import type { ComicVersion } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import type { LiveProgress } from './live-progress';
import { versionTree } from './version-tree';

const STATE_LABELS: Record<ComicVersion['state'], string> = {
  generating: 'Drawing…',
  done: '',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Every version of the comic, as a tree: a refinement sits under the version it refines,
 * indented; one that refines an older version says "from vN". Clicking a version shows it
 * and makes it the one the next prompt changes.
 */
export function VersionHistory({
  versions,
  live,
  selectedId,
  compareIds,
  onSelect,
  onCompare,
}: {
  versions: readonly ComicVersion[];
  live: LiveProgress;
  selectedId: number | null;
  compareIds: readonly number[] | null;
  onSelect(id: number): void;
  onCompare(id: number): void;
}): ReactElement {
  const nodes = versionTree(versions);
  return (
    <section className="version-history" aria-label="Versions">
      <h2 className="section-title">Versions</h2>
      {nodes.length === 0 ? (
        <p className="muted small">Each page you generate appears here with its prompt.</p>
      ) : (
        <ol className="version-list">
          {nodes.map(({ version: v, number, depth, parentNumber, branch }) => {
            const image = v.image ?? live.get(v.id)?.partial ?? null;
            const selected = v.id === selectedId;
            const comparing = compareIds?.includes(v.id) ?? false;
            return (
              <li
                key={v.id}
                className={selected ? 'version is-selected' : 'version'}
                style={{ paddingLeft: Math.min(depth, 6) * 12 }}
                data-testid="studio-version"
                data-version-id={v.id}
                data-state={v.state}
                data-number={number}
              >
                <button
                  type="button"
                  className="version-main"
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => onSelect(v.id)}
                  title={v.prompt}
                >
                  <span className={`version-thumb state-${v.state}`}>
                    {image ? (
                      <img className="version-img" src={mediaUrl(image)} alt="" draggable={false} />
                    ) : (
                      <span>v{number}</span>
                    )}
                  </span>
                  <span className="version-text">
                    <span className="version-head">
                      <strong>v{number}</strong>
                      {parentNumber !== null && branch && (
                        <span className="version-from">from v{parentNumber}</span>
                      )}
                      {v.region && (
                        <span className="version-region" data-testid="studio-version-region">
                          panel redrawn
                        </span>
                      )}
                      {STATE_LABELS[v.state] && (
                        <span className={`version-state state-${v.state}`}>{STATE_LABELS[v.state]}</span>
                      )}
                    </span>
                    <span className="version-prompt">{v.prompt}</span>
                  </span>
                </button>
                {v.state === 'done' && !selected && (
                  <button
                    type="button"
                    className={comparing ? 'version-compare is-on' : 'version-compare'}
                    data-testid="studio-compare"
                    onClick={() => onCompare(v.id)}
                    title={`Compare v${number} with the version shown`}
                  >
                    Compare
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
