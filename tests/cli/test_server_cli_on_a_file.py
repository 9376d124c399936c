"""On a database file there is one local user who may do everything: no login, no roles, and
the server commands say so instead of doing something half."""

import pytest
from support.cli_run import fingerprint

from lehrer_licenses.services.access import LEVELS, current_access

pytestmark = pytest.mark.sqlite_only(
    reason="what a database file allows; tests/server covers a server"
)


def test_a_file_has_one_user_who_may_do_everything(db):
    access = current_access(db)
    assert not access.server
    assert all(access.may(level) for level in LEVELS)


def test_the_server_commands_refuse_on_a_file(cli, monkeypatch):
    monkeypatch.setenv("LEHRER_LICENSES_NEW_USER_PASSWORD", "pw")
    before = fingerprint(cli.path)
    for args in (("server", "users"), ("server", "add-user", "bea", "--role", "clerk")):
        code, out, err = cli(*args)
        assert code == 2, (out, err)
        assert err == (
            "lehrer-licenses: users and roles exist only on a server database (--db "
            "postgresql://...); a database file has one local user who may do everything\n"
        )
    assert fingerprint(cli.path) == before
