import { type ReactElement, useState } from 'react';
import type { StudioOptions } from '../../../../shared/model';
import { api } from '../../api/client';

const OPENAI = 'https://api.openai.com/v1';

/** The host a key would go to, for the confirmation; the whole text when it is not a URL. */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * Settings → Comic Studio → API key: the key and the endpoint it is for, saved together. The
 * core sends the key only to the endpoint it was saved with (decision 0032), so changing the
 * endpoint means typing the key again, and an endpoint other than OpenAI's is confirmed here
 * before the key goes there.
 */
export function OpenAIKeySettings({
  options,
  busy,
  act,
  reload,
}: {
  options: StudioOptions;
  busy: boolean;
  act(action: () => Promise<string>): Promise<void>;
  reload(): Promise<void>;
}): ReactElement {
  const saved = options.settings.baseUrl;
  const [endpoint, setEndpoint] = useState(saved);
  const [key, setKey] = useState('');
  const [confirming, setConfirming] = useState(false);
  const moved = endpoint.trim() !== saved.trim();
  const target = endpoint.trim() || OPENAI;

  const saveKey = () =>
    act(async () => {
      setConfirming(false);
      await api['studio:set-key']({ key: key.trim(), baseUrl: endpoint.trim() });
      setKey('');
      await reload();
      return `API key saved for ${target}. Use "Test key" to check it.`;
    });
  const forgetKey = () =>
    act(async () => {
      await api['studio:set-key']({ key: null, baseUrl: endpoint.trim() });
      await reload();
      return 'API key forgotten.';
    });
  const testKey = () =>
    act(async () => {
      const result = await api['studio:test-key']({});
      await reload(); // the test also read the list of models again
      if (!result.ok) throw new Error(result.message);
      return result.message;
    });
  const submit = () => {
    if (!key.trim()) return;
    // OpenAI's own endpoint needs no second look; any other one is where the key will go.
    if (hostOf(target) !== hostOf(OPENAI)) setConfirming(true);
    else void saveKey();
  };

  const status = options.hasKey
    ? `Saved for ${options.endpoint} (${options.keyStorage}). Komorebi sends it there only and never shows it again.`
    : (options.keyProblem ?? `No key saved yet. Where it will be kept: ${options.keyStorage}.`);
  return (
    <div className="settings-block">
      <span className="field-label">API key</span>
      <p className="key-status" data-testid="openai-key-status">
        {status}
      </p>
      <label className="settings-item settings-wide">
        <span className="field-label">Endpoint (for Azure OpenAI or a gateway; empty for OpenAI)</span>
        <input
          className="text-input"
          data-testid="openai-base-url"
          placeholder={OPENAI}
          spellCheck={false}
          value={endpoint}
          onChange={(event) => {
            setEndpoint(event.target.value);
            setConfirming(false);
          }}
        />
      </label>
      {moved && (
        <p className="muted small" data-testid="openai-endpoint-moved">
          A new endpoint needs the key again: Komorebi sends your key only to the endpoint you save it for.
        </p>
      )}
      <form
        className="field-row"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <input
          type="password"
          className="text-input"
          data-testid="openai-key-input"
          aria-label="OpenAI API key"
          placeholder={options.hasKey && !moved ? 'Paste a new key to replace the saved one' : 'sk-…'}
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(event) => {
            setKey(event.target.value);
            setConfirming(false);
          }}
        />
        <button type="submit" className="button button-primary" disabled={busy || key.trim() === ''}>
          Save key
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || !options.hasKey || moved}
          onClick={() => void testKey()}
        >
          Test key
        </button>
        <button
          type="button"
          className="button button-quiet"
          disabled={busy || (!options.hasKey && !options.keyProblem && !moved)}
          onClick={() => void forgetKey()}
        >
          {moved ? 'Use without a key' : 'Forget key'}
        </button>
      </form>
      {confirming && (
        <div className="export-conflict" role="alert" data-testid="openai-endpoint-confirm">
          <p>
            Send your OpenAI key to <strong>{hostOf(target)}</strong>? Whoever runs {target} receives the key
            with every request. Go on only if you typed this address yourself.
          </p>
          <div className="field-row">
            <button
              type="button"
              className="button button-danger"
              data-testid="openai-endpoint-confirm-send"
              disabled={busy}
              onClick={() => void saveKey()}
            >
              Send the key there
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
