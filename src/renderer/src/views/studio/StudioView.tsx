import { type ReactElement, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApp, useViewParams } from '../../app-context';
import type { ViewParams } from '../../navigation';
import { SessionList } from './SessionList';
import { StudioSession } from './StudioSession';

// React's StrictMode runs effects twice; a "Make comic" request must still create one session.
const handledCreates = new WeakSet<ViewParams['studio']>();

/**
 * The Studio: the list of comics, or one comic being drawn. Opened with `{ create: ids }`
 * ("Make comic" in the gallery), `{ sessionId }` (a comic), or nothing (the list).
 */
export function StudioView(): ReactElement {
  const { navigate } = useApp();
  const params = useViewParams('studio');
  const [error, setError] = useState<string | null>(null);
  const sessionId = 'sessionId' in params ? params.sessionId : null;
  const create = 'create' in params ? params.create : null;

  useEffect(() => {
    if (!create || handledCreates.has(params)) return;
    handledCreates.add(params);
    setError(null);
    api['studio:create']({ photoIds: create })
      .then((session) => navigate('studio', { sessionId: session.id }))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [create, params, navigate]);

  if (sessionId !== null) {
    return <StudioSession key={sessionId} sessionId={sessionId} onClose={() => navigate('studio')} />;
  }
  return (
    <SessionList
      creating={create !== null && error === null}
      error={error}
      onOpen={(id) => navigate('studio', { sessionId: id })}
    />
  );
}
