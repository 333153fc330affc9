//! Purchase rules: ammunition comes only from makers designated by the CMA (DOMAIN L1,
//! \[S1 art15\]). The filing of each purchase with public security within 3 days (L2) is a
//! deadline, listed by `ledger check`.

use super::{RuleId, Violation};
use crate::ledger::records::AmmoModel;

/// L1: the lot's model must be registered as coming from a designated maker; gives the model.
///
/// # Examples
/// ```
/// use wxmod::ledger::rules::{purchase, RuleId};
/// assert_eq!(purchase::designated_maker("XR-1", None).unwrap_err().rule, RuleId::L1);
/// ```
pub fn designated_maker<'m>(
    model_name: &str,
    model: Option<&'m AmmoModel>,
) -> Result<&'m AmmoModel, Violation> {
    model.ok_or_else(|| {
        Violation::new(
            RuleId::L1,
            format!(
                "model {model_name} is not registered as coming from a CMA-designated maker \
                 (register it with `wxmod ledger model`)"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::records::ItemClass;

    #[test]
    fn registered_models_pass() {
        let m = AmmoModel {
            name: "WR-98".into(),
            class: ItemClass::Rocket,
            maker: "陕西中天".into(),
        };
        assert!(designated_maker("WR-98", Some(&m)).is_ok());
        assert!(
            designated_maker("WR-98", None)
                .unwrap_err()
                .message
                .contains("WR-98")
        );
    }
}
