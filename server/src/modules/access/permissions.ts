/**
 * The permission catalogue: "resource:action". Roles are bundles of these; API tokens are scoped to
 * a subset of their owner's. A permission is never reused for another meaning.
 */
export const permissions = {
  'persons:read': 'Read persons within one’s scope',
  'persons:write': 'Register persons and edit their records',
  'cases:read': 'Read cases within one’s scope',
  'cases:write': 'Work on cases: plans, notes, tasks, transitions',
  'cases:assign': 'Assign cases to workers',
  'cases:approve': 'Approve or reject transitions that need a supervisor',
  'referrals:receive': 'Receive referrals and their referral packet',
  'services:record': 'Record service deliveries',
  'assessments:conduct': 'Conduct assessments',
  'security:read': 'Read the security compartment',
  'security:write': 'Write the security compartment',
  'justice:read': 'Read the justice compartment',
  'justice:write': 'Write the justice compartment',
  'health:read': 'Read the health compartment',
  'health:write': 'Write the health compartment',
  'protection:read': 'Read the protection compartment',
  'protection:write': 'Write the protection compartment',
  'watchlist:screen': 'Screen persons against the sanctions list and review hits',
  'watchlist:manage': 'Import sanctions list versions',
  'reports:aggregate': 'Read aggregate reports with small-cell suppression',
  'audit:read': 'Read the audit trail',
  'audit:verify': 'Verify the audit chain',
  'disclosures:review': 'Review disclosures and break-glass events',
  'subject_requests:handle': 'Handle data-subject requests',
  'admin:agencies': 'Manage agencies',
  'admin:users': 'Manage users and their roles',
  'admin:roles': 'Manage roles and their permissions',
  'tokens:manage_own': 'Create and revoke one’s own API tokens',
} as const;

export type Permission = keyof typeof permissions;
export const allPermissions = Object.keys(permissions) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissions, value);
}

export interface DefaultRole {
  code: string;
  name: string;
  description: string;
  permissions: Permission[];
  requireTotp: boolean;
}

const own: Permission[] = ['tokens:manage_own'];

/** The default roles of DOMAIN.md §4. Administrators may edit them; they are seeded, not hard-wired. */
export const defaultRoles: DefaultRole[] = [
  {
    code: 'case_worker',
    name: 'Case worker',
    description: 'Social services / child protection: the protection compartment of assigned cases',
    permissions: [
      'persons:read',
      'persons:write',
      'cases:read',
      'cases:write',
      'protection:read',
      'protection:write',
      'assessments:conduct',
      'services:record',
      ...own,
    ],
    requireTotp: false,
  },
  {
    code: 'supervisor',
    name: 'Supervisor',
    description: 'Case worker rights for the team, plus assignment and approvals',
    permissions: [
      'persons:read',
      'persons:write',
      'cases:read',
      'cases:write',
      'cases:assign',
      'cases:approve',
      'protection:read',
      'protection:write',
      'assessments:conduct',
      'services:record',
      'disclosures:review',
      ...own,
    ],
    requireTotp: false,
  },
  {
    code: 'security_assessor',
    name: 'Security assessor',
    description:
      'Identity, travel history and the security compartment; never therapy notes or a child’s BIA detail',
    permissions: [
      'persons:read',
      'cases:read',
      'security:read',
      'security:write',
      'assessments:conduct',
      'watchlist:screen',
      ...own,
    ],
    requireTotp: false,
  },
  {
    code: 'prosecutor',
    name: 'Prosecutor',
    description: 'What is disclosed to the justice compartment; victim status',
    permissions: ['cases:read', 'justice:read', 'justice:write', ...own],
    requireTotp: false,
  },
  {
    code: 'health_worker',
    name: 'Health worker',
    description: 'The health compartment and identity',
    permissions: ['persons:read', 'cases:read', 'health:read', 'health:write', 'services:record', ...own],
    requireTotp: false,
  },
  {
    code: 'ngo_worker',
    name: 'NGO / women-led organisation worker',
    description: 'A minimal referral packet and their own service records',
    permissions: ['referrals:receive', 'services:record', ...own],
    requireTotp: false,
  },
  {
    code: 'coordinator',
    name: 'Coordinator',
    description: 'National or UN hub coordination: aggregates only',
    permissions: ['reports:aggregate', ...own],
    requireTotp: false,
  },
  {
    code: 'data_protection_officer',
    name: 'Data-protection officer',
    description: 'Audit trail, disclosures, subject requests; no case content',
    permissions: ['audit:read', 'audit:verify', 'disclosures:review', 'subject_requests:handle', ...own],
    requireTotp: false,
  },
  {
    code: 'admin',
    name: 'Administrator',
    description: 'Agencies, users and roles; no case content',
    permissions: ['admin:agencies', 'admin:users', 'admin:roles', 'audit:verify', ...own],
    requireTotp: false,
  },
];
