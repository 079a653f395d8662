"""Names an office reads instead of ids, shared by every part of the bulletin that names someone.

The veto list, the ranking, the roll-up, the early warnings and the
rectification rows all print account, unit and 县区 names the same way.
"""

from __future__ import annotations

from ..dataset.registry import Dataset
from ..findings.report import Finding
from ..findings.scoring import region_of


class Names:
    """Names an office reads instead of ids: accounts, units, and the region a unit rolls up to."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def unit(self, unit_id: str | None) -> str:
        view = self.dataset.units.get(unit_id or "")
        return view.unit.name if view else (unit_id or "（未知单位）")

    def account(self, account_id: str) -> str:
        history = self.dataset.accounts.get(account_id)
        return history.account.name if history else account_id

    def of(self, finding: Finding) -> str:
        """The account a finding is about, else its unit."""
        return self.account(finding.account) if finding.account else self.unit(finding.unit)

    def region(self, unit_id: str | None) -> str:
        return self.unit(region_of(self.dataset, unit_id))
