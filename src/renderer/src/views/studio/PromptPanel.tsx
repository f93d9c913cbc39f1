import type { ReactElement } from 'react';
import { limits } from '../../../../shared/limits';
import type { ComicGenerationOptions, StudioOptions } from '../../../../shared/model';
import { useApp } from '../../app-context';
import { ComicOptions } from './ComicOptions';
import { privacyLine } from './references';
import { StylePicker } from './StylePicker';

/** The prompt, style and layout, the privacy promise, and Generate / Cancel. */
export function PromptPanel(props: {
  options: StudioOptions;
  onOptions(options: StudioOptions): void;
  genOptions: ComicGenerationOptions;
  onGenOptions(options: ComicGenerationOptions): void;
  prompt: string;
  onPrompt(prompt: string): void;
  hasVersions: boolean;
  refineFrom: { id: number; number: number } | null;
  /** Redrawing one panel of the version shown: its number (0 when the rectangle is not one of the layout's). */
  redrawPanel: number | null;
  /** The page is shown with its panels to pick one from. */
  choosingPanel: boolean;
  canRefine: boolean;
  fromScratch: boolean;
  onFromScratch(fromScratch: boolean): void;
  included: number;
  drawing: boolean;
  cancellable: boolean;
  onGenerate(): void;
  onCancel(): void;
  onError(message: string | null): void;
}): ReactElement {
  const { navigate } = useApp();
  const { options, genOptions, prompt, refineFrom, drawing } = props;
  const refining = refineFrom !== null;
  const panel = props.redrawPanel;
  const blocked = props.choosingPanel
    ? 'Click the panel to redraw on the page.'
    : props.included === 0
      ? 'Include at least one reference photo.'
      : prompt.trim() === ''
        ? refining || panel !== null
          ? 'Describe the change you want.'
          : 'Describe the comic you want.'
        : null;
  const panelName = panel ? `panel ${panel}` : 'the chosen area';

  return (
    <aside className="prompt-panel" aria-label="What to draw">
      <div className="studio-field">
        <div className="prompt-head">
          <label className="field-label" htmlFor="studio-prompt">
            {panel !== null
              ? `Redraw ${panelName}`
              : refining
                ? `Change v${refineFrom.number}`
                : props.hasVersions
                  ? 'A new first drawing'
                  : 'Story'}
          </label>
          {props.canRefine &&
            (props.fromScratch ? (
              <button type="button" className="link-button" onClick={() => props.onFromScratch(false)}>
                Refine the version shown instead
              </button>
            ) : (
              <button type="button" className="link-button" onClick={() => props.onFromScratch(true)}>
                Start from scratch
              </button>
            ))}
        </div>
        <textarea
          id="studio-prompt"
          className="text-area prompt-box"
          data-testid="studio-prompt"
          rows={5}
          maxLength={limits.promptChars}
          disabled={drawing}
          placeholder={
            panel !== null
              ? `What should change in ${panelName}?`
              : props.hasVersions && !props.fromScratch
                ? 'Describe a change…'
                : 'What happens? e.g. "Our day at the beach: building the sandcastle, the wave, the ice cream."'
          }
          value={prompt}
          onChange={(event) => props.onPrompt(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !blocked && !drawing) {
              event.preventDefault();
              props.onGenerate();
            }
          }}
        />
      </div>
      <StylePicker
        styles={options.styles}
        value={genOptions.style}
        disabled={drawing}
        onChange={(style) => props.onGenOptions({ ...genOptions, style })}
        onStyles={(styles) => props.onOptions({ ...options, styles })}
        onError={props.onError}
      />
      <ComicOptions studio={options} value={genOptions} disabled={drawing} onChange={props.onGenOptions} />
      <div className="generate-box">
        <p className="privacy-line small" data-testid="studio-privacy">
          {panel !== null
            ? `Only ${panelName} is redrawn; every other pixel of the page stays as it is.`
            : refining && options.settings.engine === 'openai-responses'
              ? `Refining continues the conversation with OpenAI: no photo is sent again, and changes to the reference photos apply to a new drawing (Start from scratch).`
              : privacyLine(props.included, options.settings.referenceMaxSide)}
        </p>
        {!options.hasKey && (
          <p className="small warn-line">
            {options.keyProblem ?? 'No OpenAI API key is saved yet.'}{' '}
            <button type="button" className="link-button" onClick={() => navigate('settings')}>
              Add one in Settings
            </button>
          </p>
        )}
        <div className="generate-actions">
          {props.cancellable ? (
            <button
              type="button"
              className="button button-danger"
              data-testid="studio-cancel"
              onClick={props.onCancel}
            >
              Cancel drawing
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary generate-button"
              data-testid="studio-generate"
              disabled={drawing || blocked !== null}
              title={blocked ?? 'Ctrl+Enter'}
              onClick={props.onGenerate}
            >
              {drawing
                ? 'Starting…'
                : panel !== null
                  ? `Redraw ${panelName}`
                  : refining
                    ? `Refine v${refineFrom.number}`
                    : genOptions.variations > 1
                      ? `Generate ${genOptions.variations} variations`
                      : 'Generate'}
            </button>
          )}
        </div>
      </div>
    </aside>
  );
}
