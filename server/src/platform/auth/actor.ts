/** How far a user's case scope reaches, narrowest first: the widest of their roles' scopes applies. */
export const caseScopes = ['none', 'assigned', 'team', 'agency', 'jurisdiction', 'all'] as const;
export type CaseScope = (typeof caseScopes)[number];

/** The signed-in user behind a request, as the access module sees them. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  agencyId: string;
  agencyKind: string;
  agencyCode: string;
  agencyName: string;
  supervisorId: string | null;
  roles: string[];
  roleNames: { code: string; name: string }[];
  /** Permissions of the user's roles, before any token scope narrows them. */
  rolePermissions: ReadonlySet<string>;
  /** What this request may use: role permissions, narrowed to the token's scopes for API tokens. */
  permissions: ReadonlySet<string>;
  via: 'session' | 'token';
  tokenId: string | null;
  sessionTokenHash: string | null;
  csrfToken: string | null;
  mfaEnrolmentPending: boolean;
  totpEnabled: boolean;
  preferredLanguage: string;
  /** The widest case scope of the user's roles (access_role_policies); 'none' when no role sets one. */
  caseScope: CaseScope;
}
