import { protocol, type Session } from 'electron';
import type { MediaRoots } from './core/ports';
import { answerMediaRequest } from './media-response';

/**
 * `media://local/<mediaPath>`: how the window shows photos, thumbnails and studio outputs.
 * Privileged as a standard, secure scheme so it works with fetch, <img> and streaming; must be
 * declared before the app is ready.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // corsEnabled: the window (a file:// page) fetch()es thumbnail batches from media://local
    // (decision 0060); only those answers carry Access-Control-Allow-Origin.
    {
      scheme: 'media',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true },
    },
  ]);
}

/** Serves `media://local/...` in a session from the core's allow-listed roots only. */
export function serveMedia(session: Session, roots: () => MediaRoots): void {
  session.protocol.handle('media', (request) => answerMediaRequest(request, roots()));
}
