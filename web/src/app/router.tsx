import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { navigate as browserNavigate } from 'wouter/use-browser-location';

/**
 * Routing is wouter (ADR 0006): the path lives in the browser's history. This file is the one
 * place the rest of the app imports routing from, so pages say `Link`, `navigate`, `usePath`
 * and `useQueryParams` and never depend on the library directly.
 */

export { Redirect, Route, Switch, useParams } from 'wouter';

export function usePath(): string {
  return useLocation()[0];
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const current = `${window.location.pathname}${window.location.search}`;
  if (path === current) return;
  browserNavigate(path, { replace: options.replace ?? false });
}

/** The query string as a URLSearchParams (read-only; change it with setQueryParams). */
export function useQueryParams(): URLSearchParams {
  return new URLSearchParams(useSearch());
}

/** Replaces the query string of the current page without adding a history entry. */
export function setQueryParams(params: URLSearchParams, options: { push?: boolean } = {}): void {
  const query = params.toString();
  navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, { replace: !options.push });
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  /** Marks the link current for every path below it too (navigation sections). */
  matchPrefix?: boolean;
};

export function Link({ to, matchPrefix, onClick, children, ...rest }: LinkProps) {
  const path = usePath();
  const current = path === to || (matchPrefix === true && to !== '/' && path.startsWith(`${to}/`));
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const plainClick =
      event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
    if (event.defaultPrevented || !plainClick) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} aria-current={current ? 'page' : undefined} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
