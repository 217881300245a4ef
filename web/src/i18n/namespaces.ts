import type { ResourceKey } from 'i18next';

/**
 * Translations are split by feature: the shared strings in `i18n/locales/<lang>.json` (namespace
 * `translation`), and each feature's own in `features/<feature>/locales/<lang>.json` (namespace
 * = the folder name in camelCase: `case-file` → `caseFile`), plus the shared components' in
 * `ui/locales/<lang>.json` (namespace `ui`). A feature uses `useTranslation('<namespace>')`.
 */

export function namespaceOf(path: string): { namespace: string; language: string } | undefined {
  const match = /(?:features\/([\w-]+)\/|(ui)\/|^\.\/|i18n\/)locales\/(\w+)\.json$/.exec(path);
  if (!match) return undefined;
  const folder = match[1] ?? match[2];
  const namespace = folder
    ? folder.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
    : 'translation';
  return { namespace, language: match[3] ?? '' };
}

type Loader = () => Promise<{ default: ResourceKey }>;

/** language → namespace → loader, for every locale file that is not English. */
export function groupLoaders(loaders: Record<string, Loader>): Map<string, Map<string, Loader>> {
  const out = new Map<string, Map<string, Loader>>();
  for (const [path, loader] of Object.entries(loaders)) {
    const found = namespaceOf(path);
    if (!found) continue;
    const byNamespace = out.get(found.language) ?? new Map<string, Loader>();
    byNamespace.set(found.namespace, loader);
    out.set(found.language, byNamespace);
  }
  return out;
}
