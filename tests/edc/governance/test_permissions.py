"""The permission matrix, written out per persona (issue 6: each role does exactly what it should)."""

from __future__ import annotations

import pytest

from inodli.edc.governance.permissions import Action, allowed
from tests.edc.personas import PersonaTest

A = Action
# Expected from the role descriptions, not from ROLE_ACTIONS.
EXPECTED = {
    "investigator": {A.READ, A.ENTER_DATA, A.ANSWER_QUERY, A.SIGN},
    "nurse": {A.READ, A.ENTER_DATA, A.ANSWER_QUERY},
    "pharmacist": {A.READ, A.ENTER_DATA, A.ANSWER_QUERY},
    "data_manager": {
        A.READ,
        A.ENTER_DATA,
        A.ANSWER_QUERY,
        A.RAISE_QUERY,
        A.CLOSE_QUERY,
        A.LOCK,
        A.EXPORT,
        A.IMPORT,
        A.RUN_CHECKS,
        A.VIEW_LOGIN_LOG,  # reviews who signed in, as part of data oversight
    },
    "monitor": {A.READ, A.RAISE_QUERY, A.CLOSE_QUERY, A.VERIFY_SOURCE},
    "statistician": {A.READ, A.EXPORT},
    # 21 CFR 11.10(d), (g): accounts and roles are the administrator's, and no data entry
    "administrator": {A.READ, A.MANAGE_USERS, A.VIEW_LOGIN_LOG},
    "outsider": set(),
}


class TestMatrix(PersonaTest):
    @pytest.mark.parametrize("persona", sorted(EXPECTED))
    def test_it_allows_each_role_exactly_its_actions(self, persona: str) -> None:
        user = getattr(self, persona)
        assert {a for a in Action if allowed(user, a)} == EXPECTED[persona]

    def test_it_never_lets_a_monitor_enter_data(self) -> None:
        assert not allowed(self.monitor, Action.ENTER_DATA)
