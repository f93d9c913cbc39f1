import type { ReactElement } from 'react';
import { useApp } from '../app-context';
import { views } from '../views/registry';

export function Sidebar(): ReactElement {
  const { route, navigate, status } = useApp();
  const problems = status?.problems ?? 0;
  return (
    <nav className="sidebar" aria-label="Views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Komorebi
      </div>
      <ul className="nav-list">
        {views.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={entry.id === route.view ? 'nav-item is-active' : 'nav-item'}
              aria-current={entry.id === route.view ? 'page' : undefined}
              data-testid={`nav-${entry.id}`}
              onClick={() => navigate(entry.id)}
            >
              <entry.icon />
              <span>{entry.label}</span>
              {entry.id === 'activity' && problems > 0 && (
                <span className="nav-badge" title={`${problems} files or folders need attention`}>
                  {problems}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
