"""Who may do what on a server database: the roles the project creates, enforced by the server
(GRANTs) and, where one table serves two rights, by the use case; refusals end in one line
naming the role needed and exit 2, nothing written; the audit trail names the login role."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from support.server_office import NAME_PREFIX, Office, admin, drop, ok, run

from lehrer_licenses.cli.main import main
from lehrer_licenses.services.access import current_access
from lehrer_licenses.services.database_init import open_database
from lehrer_licenses.store.roles import PREFIX_ENV_VAR, PermissionRefused


def new_price(amount: str, valid_from: str) -> tuple[str, ...]:
    """The command line of a new base price of the LO-LOCAL plan."""
    return (
        "catalogue",
        "price",
        "add",
        "LO-LOCAL",
        "--component",
        "base",
        "--amount",
        amount,
        "--valid-from",
        valid_from,
    )


def test_a_clerk_can_neither_issue_nor_change_a_price(office, desk, capsys):
    before = office.fingerprint()
    code, out, err = run(capsys, desk["clerk_url"], "invoice", "issue", str(desk["draft"]))
    assert code == 2, (out, err)
    assert err.strip() == (
        f"lehrer-licenses: Issuing an invoice was refused for {desk['clerk'][0]}: it needs the "
        f"role {office.prefix}lehrer_accountant."
    )
    code, out, err = run(
        capsys,
        desk["clerk_url"],
        *new_price("120.00", "2027-01-01"),
    )
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1
    assert f"it needs the role {office.prefix}lehrer_admin." in err
    assert office.fingerprint() == before
    assert office.query("SELECT status, number FROM invoice") == [("draft", None)]


def test_the_server_itself_refuses_a_clerk_the_price_table(office, desk):
    """Past the use case's check (a tool of its own on the clerk's login): the GRANTs hold, and
    the refusal still names the table and the role."""
    db = open_database(desk["clerk_url"])
    try:
        with pytest.raises(PermissionRefused) as refused, db.transaction() as session:
            session.execute(text("UPDATE price SET amount = 1"))
    finally:
        db.dispose()
    assert str(refused.value) == (
        f"Changing the table price was refused for {desk['clerk'][0]}: it needs the role "
        f"{office.prefix}lehrer_admin."
    )
    assert office.query("SELECT count(*) FROM price WHERE amount = 1") == [(0,)]


def test_an_accountant_issues_and_the_audit_names_each_login(office, desk, capsys, monkeypatch):
    monkeypatch.setenv("LOGNAME", "mallory")  # the server's word counts, not the environment's
    monkeypatch.setenv("USER", "mallory")
    accountant = office.login("accountant", "anna")
    issued = ok(capsys, office.url(*accountant), "invoice", "issue", str(desk["draft"]))
    assert issued["number"]
    assert office.query("SELECT status FROM invoice") == [("issued",)]
    actors = dict(office.query("SELECT action, actor FROM audit_entry WHERE action <> :a", a="x"))
    assert actors["school.add"] == desk["clerk"][0]
    assert actors["order.seats"] == desk["clerk"][0]
    assert actors["invoice.issue"] == accountant[0]


def test_staff_cannot_disable_the_audit_trigger_or_change_audit_rows(office, desk):
    name = desk["clerk"][0]
    # psycopg on its own, as any tool on the clerk's login would
    libpq_url = make_url(desk["clerk_url"]).set(drivername="postgresql")
    with psycopg.connect(libpq_url.render_as_string(hide_password=False), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
            conn.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change")
        for statement in (
            "UPDATE audit_entry SET actor = 'nobody'",
            "DELETE FROM audit_entry",
            "TRUNCATE audit_entry",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert office.query("SELECT count(*) FROM audit_entry WHERE actor = :a", a=name) == [(4,)]
    assert office.query(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_entry_no_change'"
    ) == [("O",)]


def test_server_users_lists_each_login_with_its_role(office, capsys):
    office.login("clerk", "carla")
    office.login("admin", "adrian")
    users = ok(capsys, office.url(), "server", "users")
    assert users == [
        {"user": office.person("adrian"), "role": "admin", "can_login": True},
        {"user": office.person("carla"), "role": "clerk", "can_login": True},
    ]
    # moving a login to another role keeps one role, and asks no password
    moved = ok(
        capsys, office.url(), "server", "add-user", office.person("carla"), "--role", "accountant"
    )
    assert moved["created"] is False
    assert {u["user"]: u["role"] for u in ok(capsys, office.url(), "server", "users")} == {
        office.person("adrian"): "admin",
        office.person("carla"): "accountant",
    }


def test_add_user_never_takes_or_prints_the_password_from_the_command_line(
    office, capsys, monkeypatch
):
    monkeypatch.delenv("LEHRER_LICENSES_NEW_USER_PASSWORD", raising=False)
    code, out, err = run(
        capsys, office.url(), "server", "add-user", office.person("x"), "--role", "clerk"
    )
    assert code == 2
    assert err.strip() == (
        "lehrer-licenses: no password for the new user: set LEHRER_LICENSES_NEW_USER_PASSWORD "
        "or run this at a terminal"
    )
    with pytest.raises(SystemExit):
        main(
            ["--db", office.url(), "server", "add-user", "x", "--role", "clerk", "--password", "p"]
        )
    monkeypatch.setenv("LEHRER_LICENSES_NEW_USER_PASSWORD", "Very-Secret-42")
    code, out, err = run(
        capsys, office.url(), "server", "add-user", office.person("x"), "--role", "clerk"
    )
    assert code == 0, err
    assert "Very-Secret-42" not in out + err
    stored = office.query(
        "SELECT rolpassword FROM pg_authid WHERE rolname = :n", n=office.person("x")
    )
    assert stored[0][0].startswith("SCRAM-SHA-256$")


def test_a_clerk_cannot_add_users(office, desk, capsys, monkeypatch):
    monkeypatch.setenv("LEHRER_LICENSES_NEW_USER_PASSWORD", "pw")
    code, out, err = run(
        capsys, desk["clerk_url"], "server", "add-user", office.person("eve"), "--role", "admin"
    )
    assert code == 2, (out, err)
    assert err.startswith(f"lehrer-licenses: Adding a user was refused for {desk['clerk'][0]}")
    assert office.query(
        "SELECT count(*) FROM pg_roles WHERE rolname = :n", n=office.person("eve")
    ) == [(0,)]


def test_the_access_the_app_reads_follows_the_memberships(office, desk):
    accountant = office.login("accountant", "anna")
    for url, levels in (
        (desk["clerk_url"], {"clerk"}),
        (office.url(*accountant), {"clerk", "accountant"}),
        (office.url(), {"clerk", "accountant", "admin"}),  # the owner (a superuser here)
    ):
        db = open_database(url)
        try:
            access = current_access(db)
        finally:
            db.dispose()
        assert access.server and set(access.levels) == levels


@pytest.mark.slow  # migrates a database of its own (the others copy a template)
def test_an_owner_without_superuser_rights_runs_init_and_adds_users(capsys, monkeypatch):
    """How an office sets it up (README): a login with CREATEROLE owns the database."""
    name = f"{NAME_PREFIX}{uuid.uuid4().hex[:10]}"
    owner = Office(name, f"{name}_", capsys)
    admin(f"CREATE ROLE \"{name}_owner\" LOGIN CREATEROLE PASSWORD 'owner-pw'")
    try:
        admin(f'CREATE DATABASE "{name}" OWNER "{name}_owner"')
        monkeypatch.setenv(PREFIX_ENV_VAR, owner.prefix)
        url = owner.url(f"{name}_owner", "owner-pw")
        ok(capsys, url, "init")
        ok(capsys, url, "migrate")  # again: the grants are renewed, nothing fails
        monkeypatch.setenv("LEHRER_LICENSES_NEW_USER_PASSWORD", "bea-pw")
        ok(capsys, url, "server", "add-user", f"{name}_bea", "--role", "clerk")
        assert ok(capsys, url, "server", "users") == [
            {"user": f"{name}_bea", "role": "clerk", "can_login": True},
            {"user": f"{name}_owner", "role": "admin", "can_login": True},
        ]
        # the owner works in the app too: a price, with the audit naming the owner
        ok(
            capsys,
            url,
            *new_price("120.00", "2027-01-01"),
        )
        code, _out, err = run(
            capsys,
            owner.url(f"{name}_bea", "bea-pw"),
            *new_price("1.00", "2028-01-01"),
        )
        assert code == 2 and f"{owner.prefix}lehrer_admin" in err
        assert owner.query(
            "SELECT actor FROM audit_entry WHERE action = 'catalogue.add_price'"
        ) == [(f"{name}_owner",)]
    finally:
        drop(name, f"{name}_")
