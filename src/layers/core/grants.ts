import type { Grant } from './manifest';

/**
 * Layer permissions as AddLayerVersionPermission inputs. Statement ids are derived from the grant, so the
 * same grant always has the same id: re-adding it is recognisable ("already granted"), never a duplicate.
 */
export interface PermissionRequest {
  readonly statementId: string;
  readonly principal: string;
  readonly organizationId?: string;
  readonly action: 'lambda:GetLayerVersion';
}

export function statementId(grant: Grant): string {
  switch (grant.kind) {
    case 'account':
      return `opsdeck-account-${grant.account}`;
    case 'organization':
      return `opsdeck-org-${grant.organizationId}`;
    case 'public':
      return 'opsdeck-public';
  }
}

export function permissionRequest(grant: Grant): PermissionRequest {
  const base = { statementId: statementId(grant), action: 'lambda:GetLayerVersion' as const };
  switch (grant.kind) {
    case 'account':
      return { ...base, principal: grant.account };
    case 'organization':
      return { ...base, principal: '*', organizationId: grant.organizationId };
    case 'public':
      return { ...base, principal: '*' };
  }
}

export function describeGrant(grant: Grant): string {
  switch (grant.kind) {
    case 'account':
      return `account ${grant.account}`;
    case 'organization':
      return `organization ${grant.organizationId}`;
    case 'public':
      return 'everyone (public)';
  }
}

interface PolicyStatement {
  Sid?: string;
  Principal?: string | { AWS?: string | string[] } | '*';
  Action?: string | string[];
  Condition?: { StringEquals?: Record<string, string> };
  /** moto 5.2 stores the request's OrganizationId as is instead of the aws:PrincipalOrgID condition. */
  OrganizationId?: string;
}

const orgOf = (s: PolicyStatement) => s.Condition?.StringEquals?.['aws:PrincipalOrgID'] ?? s.OrganizationId;

/** Statements of a GetLayerVersionPolicy document, keyed by Sid. */
export function statementsOf(policyJson: string | undefined): Map<string, PolicyStatement> {
  const out = new Map<string, PolicyStatement>();
  if (!policyJson) return out;
  try {
    const doc = JSON.parse(policyJson) as { Statement?: PolicyStatement[] | PolicyStatement };
    const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    for (const s of list) if (s.Sid) out.set(s.Sid, s);
  } catch { /* an unreadable policy counts as empty: adding then reports a conflict */ }
  return out;
}

function principalOf(s: PolicyStatement): string | undefined {
  const p = s.Principal;
  if (typeof p === 'string') return p;
  const aws = p?.AWS;
  return Array.isArray(aws) ? aws[0] : aws;
}

/** True when an existing statement grants what the request asks (same principal and organization). */
export function statementMatches(s: PolicyStatement | undefined, req: PermissionRequest): boolean {
  if (!s) return false;
  const principal = principalOf(s) ?? '';
  const samePrincipal = principal === req.principal || principal === `arn:aws:iam::${req.principal}:root` || principal.endsWith(`:${req.principal}:root`);
  const org = orgOf(s);
  return samePrincipal && (org ?? undefined) === req.organizationId;
}

export function grantsOf(policyJson: string | undefined): string[] {
  return [...statementsOf(policyJson).values()].map((s) => {
    const p = principalOf(s) ?? '?';
    const org = orgOf(s);
    if (org) return `organization ${org}`;
    if (p === '*') return 'everyone (public)';
    return `account ${p.replace(/^arn:aws[\w-]*:iam::(\d{12}):root$/, '$1')}`;
  });
}
