"""``server add-user`` and ``server users``: the office's staff as PostgreSQL login roles, each in
one of the project's groups (clerk, accountant, admin). Run by the owner who ran ``init``."""

from __future__ import annotations

import os
import sys

from lehrer_licenses.i18n import _

# The new user's password for scripts; otherwise it is asked at a prompt. Never an option: a
# command line is visible to everyone on the machine (ps) and stays in the shell's history.
PASSWORD_ENV_VAR = "LEHRER_LICENSES_NEW_USER_PASSWORD"
ROLES = ("clerk", "accountant", "admin")


def add_commands(sub, command) -> dict:
    server = command("server", _("users and roles of a server database (PostgreSQL)"), sub)
    actions = server.add_subparsers(dest="action", required=True)
    add = command(
        "add-user",
        _("create a login in a role, or move an existing login to another role"),
        actions,
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    command("users", _("list the logins and their roles"), actions)
    return {"server": cmd_server}


def _new_password() -> str:
    from lehrer_licenses.cli.main import UsageError

    if os.environ.get(PASSWORD_ENV_VAR):
        return os.environ[PASSWORD_ENV_VAR]
    if not sys.stdin.isatty():
        raise UsageError(
            _("no password for the new user: set {var} or run this at a terminal").format(
                var=PASSWORD_ENV_VAR
            )
        )
    import getpass

    first = getpass.getpass(_("Password of the new user: "))
    if getpass.getpass(_("Password again: ")) != first:
        raise UsageError(_("the two passwords differ"))
    return first


def cmd_server(args) -> None:
    from lehrer_licenses.cli.main import open_db, print_result
    from lehrer_licenses.services import access

    db = open_db(args)
    if args.action == "add-user":
        created = access.add_server_user(db, args.name, args.role, _new_password)
        role = access.current_access(db).role_name(args.role)
        doc = {"user": args.name, "role": args.role, "group": role, "created": created}
        message = (
            _("User {name} created in the role {role}.")
            if created
            else _("User {name} is now in the role {role}.")
        )
        print_result(args, doc, lambda: message.format(name=args.name, role=role))
        return
    users = access.list_server_users(db)
    docs = [{"user": u.name, "role": u.level, "can_login": u.can_login} for u in users]
    print_result(
        args,
        docs,
        lambda: "\n".join(f"{u.name:<30} {u.level}" for u in users) or _("No users yet."),
    )
