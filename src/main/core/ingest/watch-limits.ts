/**
 * What the user reads when the OS cannot watch a folder any more and Komorebi checks it on a
 * timer instead: what happened, what it means (new photos still arrive, a little later), and
 * the command that gives instant updates back. On Linux each watched folder costs one inotify
 * watch; the default limit (8,192 on older systems) is used up by a large photo tree plus an
 * editor or a sync client. 524,288 is what current distributions ship and costs about 1 KB of
 * kernel memory per watch actually used.
 */
export function outOfWatchesMessage(code: string, intervalMs: number): string {
  const every = intervalMs >= 1000 ? `${Math.round(intervalMs / 1000)} s` : `${intervalMs} ms`;
  const polled = `Komorebi now checks this folder for new and changed photos every ${every} instead of seeing them at once`;
  if (code === 'ENOSPC') {
    return (
      `The system ran out of file watches (ENOSPC): ${polled}. ` +
      'To get instant updates again, raise the limit in a terminal: ' +
      '`sudo sysctl fs.inotify.max_user_watches=524288` ' +
      '(to keep it after a reboot: `echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-komorebi.conf`), ' +
      'then restart Komorebi.'
    );
  }
  return (
    `The system ran out of open files or file watchers (${code}): ${polled}. ` +
    'To get instant updates again, raise the limit in a terminal: ' +
    '`sudo sysctl fs.inotify.max_user_instances=1024` (and, if that is not it, start Komorebi after `ulimit -n 65536`), ' +
    'then restart Komorebi.'
  );
}
