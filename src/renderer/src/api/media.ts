/**
 * Media URLs. The core hands the window media paths (Photo.thumb / preview / original, e.g.
 * `thumbs/ab/abcd_s.webp`); each shell serves them from allow-listed roots only. Every path
 * segment is encoded so a file named `a#b?.jpg` or `100%.jpg` reaches the server intact.
 */
export function encodeMediaPath(mediaPath: string): string {
  return mediaPath
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** `base` is 'media://local/' (Electron) or '/media/' (browser mode). */
export function mediaUrlFor(base: string, mediaPath: string): string {
  return base + encodeMediaPath(mediaPath);
}
