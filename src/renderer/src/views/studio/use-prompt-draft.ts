import { useEffect, useState } from 'react';

const keyFor = (sessionId: number) => `komorebi.studio.prompt.${sessionId}`;

/** The prompt being written survives leaving the Studio and coming back (per comic, per tab). */
export function usePromptDraft(sessionId: number): [string, (prompt: string) => void] {
  const [prompt, setPrompt] = useState(() => {
    try {
      return sessionStorage.getItem(keyFor(sessionId)) ?? '';
    } catch {
      return '';
    }
  });
  useEffect(() => {
    try {
      if (prompt) sessionStorage.setItem(keyFor(sessionId), prompt);
      else sessionStorage.removeItem(keyFor(sessionId));
    } catch {
      // Without storage the draft lives as long as the view.
    }
  }, [sessionId, prompt]);
  return [prompt, setPrompt];
}
