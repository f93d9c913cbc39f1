/**
 * What the user reads when the OS cannot watch a folder any more and Komorebi checks it on a
 * timer instead: what happened, what it means (new photos still arrive, a little later), and
 * the command that gives instant updates back (the watcher tries live watching again by itself,
 * FolderWatcher.tryLive). On Linux each watched folder costs one inotify
 * watch; the default limit (8,192 on older systems) is used up by a large photo tree plus an
 * editor or a sync client. 524,288 is what current distributions ship and costs about 1 KB of
 * kernel memory per watch actually used.
 */
export function outOfWatchesMessage(code: string, intervalMs: number, retryMs = 5 * 60_000): string {
  const every = duration(intervalMs);
  const polled = `Komorebi now checks this folder for new and changed photos every ${every} instead of seeing them at once`;
  const back = `Komorebi tries to watch this folder live again every ${duration(retryMs)}, so instant updates come back by themselves.`;
  if (code === 'ENOSPC') {
    return (
      `The system ran out of file watches (ENOSPC): ${polled}. ` +
      'To get instant updates again, raise the limit in a terminal: ' +
      '`sudo sysctl fs.inotify.max_user_watches=524288` ' +
      '(to keep it after a reboot: `echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-komorebi.conf`). ' +
      back
    );
  }
  return (
    `The system ran out of open files or file watchers (${code}): ${polled}. ` +
    'To get instant updates again, raise the limit in a terminal: ' +
    '`sudo sysctl fs.inotify.max_user_instances=1024`. ' +
    `${back} If that is not it, restart Komorebi after \`ulimit -n 65536\`.`
  );
}

function duration(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
