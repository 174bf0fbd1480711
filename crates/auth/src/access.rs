//! Who may do what. An administrator may do everything; a plan owner keeps a plan and its tree;
//! a contributor keeps the activities an organisation leads; a reader of a plan sees its drafts.
//! Anyone else, signed in or not, reads what is published.

use rodtrad_domain::{Role, Slug};

/// What one person may do: nothing beyond reading when anonymous.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub admin: bool,
    /// (role, scope) pairs: the scope is a plan's slug, or an organisation's for a contributor.
    pub grants: Vec<(Role, Slug)>,
}

impl Access {
    pub fn anonymous() -> Self {
        Self::default()
    }

    fn has(&self, role: Role, scope: &Slug) -> bool {
        self.grants.iter().any(|(r, s)| *r == role && s == scope)
    }

    /// Whether the person may change the plan: its fields, tree, risks and versions.
    pub fn may_edit_plan(&self, plan: &Slug) -> bool {
        self.admin || self.has(Role::PlanOwner, plan)
    }

    /// Whether the person sees the plan's drafts: anyone with a role on it.
    pub fn sees_drafts_of(&self, plan: &Slug) -> bool {
        self.may_edit_plan(plan) || self.has(Role::Reader, plan)
    }

    /// Whether the person may change an activity led by `lead` (or create one for it).
    pub fn may_edit_activity(&self, lead: Option<&Slug>) -> bool {
        self.admin || lead.is_some_and(|org| self.has(Role::Contributor, org))
    }

    /// Whether the person keeps a report of an activity led by `lead`: its contributors.
    pub fn may_report(&self, lead: Option<&Slug>) -> bool {
        self.may_edit_activity(lead)
    }

    /// Whether the person may add the part of one of `partners` to a report: their
    /// contributors, each for their own organisation.
    pub fn partner_part_of<'a>(&self, partners: &'a [Slug]) -> Option<&'a Slug> {
        partners.iter().find(|p| self.has(Role::Contributor, p))
    }

    /// Whether the person reviews a report of an activity that serves goals of `plans`: the
    /// owner of any of them, or the round's owner (who keeps its `structure`).
    pub fn may_review<'a>(
        &self,
        mut plans: impl Iterator<Item = &'a Slug>,
        structure: Option<&Slug>,
    ) -> bool {
        self.admin
            || structure.is_some_and(|s| self.has(Role::PlanOwner, s))
            || plans.any(|p| self.has(Role::PlanOwner, p))
    }

    /// Whether the person runs a round over `plans` organised by `structure`: opens, closes
    /// and publishes it, and writes its report. The owner of its structure, or without one the
    /// owner of any of its plans.
    pub fn may_run_round(&self, plans: &[Slug], structure: Option<&Slug>) -> bool {
        self.admin
            || match structure {
                Some(s) => self.has(Role::PlanOwner, s),
                None => plans.iter().any(|p| self.has(Role::PlanOwner, p)),
            }
    }

    /// Whether the person may make a new round: administrators and plan owners.
    pub fn may_make_rounds(&self) -> bool {
        self.admin || self.grants.iter().any(|(r, _)| *r == Role::PlanOwner)
    }

    /// Strategy, organisations, perspectives and accounts: administrators only.
    pub fn may_administer(&self) -> bool {
        self.admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).expect("slug")
    }

    #[test]
    fn each_role_reaches_its_scope_and_nothing_else() {
        let plan = slug("social-valfard");
        let other = slug("psykisk-halsa");
        let org = slug("orebro-kommun");
        let owner = Access {
            admin: false,
            grants: vec![(Role::PlanOwner, plan.clone())],
        };
        assert!(owner.may_edit_plan(&plan) && owner.sees_drafts_of(&plan));
        assert!(!owner.may_edit_plan(&other) && !owner.sees_drafts_of(&other));
        assert!(!owner.may_edit_activity(Some(&org)) && !owner.may_administer());

        let contributor = Access {
            admin: false,
            grants: vec![(Role::Contributor, org.clone())],
        };
        assert!(contributor.may_edit_activity(Some(&org)));
        assert!(!contributor.may_edit_activity(Some(&slug("karlskoga-kommun"))));
        assert!(!contributor.may_edit_activity(None));
        assert!(!contributor.may_edit_plan(&plan) && !contributor.sees_drafts_of(&plan));

        let reader = Access {
            admin: false,
            grants: vec![(Role::Reader, plan.clone())],
        };
        assert!(reader.sees_drafts_of(&plan) && !reader.may_edit_plan(&plan));

        let anonymous = Access::anonymous();
        assert!(!anonymous.sees_drafts_of(&plan) && !anonymous.may_edit_activity(Some(&org)));

        let admin = Access {
            admin: true,
            grants: Vec::new(),
        };
        assert!(
            admin.may_edit_plan(&other) && admin.may_edit_activity(None) && admin.may_administer()
        );
        // Rounds: the plan's owner reviews and runs; a contributor reports for their own.
        assert!(owner.may_review([&plan].into_iter(), None));
        assert!(!owner.may_review([&other].into_iter(), None));
        assert!(owner.may_review([&other].into_iter(), Some(&plan)));
        assert!(owner.may_run_round(std::slice::from_ref(&other), Some(&plan)));
        assert!(!owner.may_run_round(std::slice::from_ref(&plan), Some(&other)));
        assert!(owner.may_make_rounds() && !contributor.may_make_rounds());
        assert!(
            contributor.may_report(Some(&org))
                && !contributor.may_review([&plan].into_iter(), None)
        );
        assert_eq!(
            contributor.partner_part_of(&[slug("x"), org.clone()]),
            Some(&org)
        );
        assert!(
            !anonymous.may_run_round(std::slice::from_ref(&plan), None)
                && admin.may_run_round(&[], None)
        );
        // A grant's scope is a slug: a plan and an organisation of the same name are apart.
        let same_name = Access {
            admin: false,
            grants: vec![(Role::Contributor, plan.clone())],
        };
        assert!(!same_name.may_edit_plan(&plan));
    }
}
