import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The page's h1. It takes focus when the page appears (after sign-in, on navigation), so
 * keyboard and screen-reader users start at the top of the new content.
 */
export function PageHeading({ children, autoFocus = true }: { children: ReactNode; autoFocus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (autoFocus) ref.current?.focus({ preventScroll: true });
  }, [autoFocus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
