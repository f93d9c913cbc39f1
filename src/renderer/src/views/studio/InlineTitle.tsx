import { type KeyboardEvent, type ReactElement, useState } from 'react';
import { limits } from '../../../../shared/limits';

/** A title that becomes a text field on click: Enter or leaving the field saves, Escape keeps the old one. */
export function InlineTitle({
  title,
  onRename,
  as: Tag = 'span',
}: {
  title: string;
  onRename(title: string): unknown;
  as?: 'span' | 'h1';
}): ReactElement {
  const [editing, setEditing] = useState<string | null>(null);

  const save = () => {
    const next = editing?.trim() ?? '';
    setEditing(null);
    if (next.length > 0 && next !== title) void onRename(next.slice(0, limits.titleChars));
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') save();
    else if (event.key === 'Escape') {
      event.stopPropagation();
      setEditing(null);
    }
  };

  if (editing !== null) {
    return (
      <input
        className="text-input inline-title-input"
        aria-label="Comic title"
        data-testid="studio-title-input"
        // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this title.
        autoFocus
        value={editing}
        maxLength={limits.titleChars}
        onChange={(event) => setEditing(event.target.value)}
        onKeyDown={onKey}
        onBlur={save}
      />
    );
  }
  return (
    <Tag className="inline-title">
      <button
        type="button"
        className="inline-title-button"
        title="Rename"
        data-testid="studio-title"
        onClick={() => setEditing(title)}
      >
        {title}
      </button>
    </Tag>
  );
}
