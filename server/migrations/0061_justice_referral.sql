-- A disclosure made by referring a case for a justice decision (workflow transitions with
-- "justiceReferral": true, ADR 0020) carries its own legal basis, so the review lists and the audit
-- trail tell it apart from a disclosure a worker chose to make.
ALTER TABLE disclosures DROP CONSTRAINT disclosures_legal_basis_check;
ALTER TABLE disclosures ADD CONSTRAINT disclosures_legal_basis_check CHECK (legal_basis IN ('consent',
  'best_interests', 'legal_obligation', 'vital_interest', 'court_order', 'justice_referral'));
