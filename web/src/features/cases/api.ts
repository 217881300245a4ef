import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';

/** Types of the case list and saved views, derived from the generated paths (never written twice). */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type BodyOf<T> = T extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type CaseListQuery = NonNullable<paths['/api/cases']['get']['parameters']['query']>;
export type CaseList = JsonOf<paths['/api/cases']['get']['responses'][200]>;
export type CaseListItem = CaseList['items'][number];
export type SavedView = JsonOf<paths['/api/saved-views']['get']['responses'][200]>[number];
export type SavedViewParams = SavedView['params'];
export type CreateSavedView = BodyOf<paths['/api/saved-views']['post']>;
export type UpdateSavedView = BodyOf<paths['/api/saved-views/{id}']['patch']>;

export const caseListKeys = {
  all: ['cases', 'list'] as const,
  page: (query: CaseListQuery) => ['cases', 'list', query] as const,
};
export const savedViewKeys = { all: ['saved-views'] as const };

/**
 * One page of the case list. The previous answer stays on screen while the next filter's answer
 * is on its way (keepPreviousData), so a filter change never blanks the table.
 */
export function useCaseList(query: CaseListQuery) {
  return useQuery({
    queryKey: caseListKeys.page(query),
    queryFn: ({ signal }) => call(api.GET('/api/cases', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function useSavedViews() {
  return useQuery({
    queryKey: savedViewKeys.all,
    queryFn: () => call(api.GET('/api/saved-views')),
    staleTime: 60_000,
  });
}

export function useCreateSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedView) => call(api.POST('/api/saved-views', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}

export function useRenameSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateSavedView }) =>
      call(api.PATCH('/api/saved-views/{id}', { params: { path: { id } }, body })),
    onSettled: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}

export function useDeleteSavedView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      call(api.DELETE('/api/saved-views/{id}', { params: { path: { id }, query: { version } } })),
    onSettled: () => client.invalidateQueries({ queryKey: savedViewKeys.all }),
  });
}
