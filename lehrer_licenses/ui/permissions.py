"""Showing only what the user may do: an action their server role does not allow stays disabled,
its tooltip naming the role that would allow it. On a database file everything is allowed."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from lehrer_licenses.i18n import _
from lehrer_licenses.services.access import Access

_OWN_TIP = "own_tooltip"  # the tooltip the widget has when it is allowed


def needs_role(access: Access, level: str) -> str:
    return _("Not for {user}: this needs the role {role}.").format(
        user=access.user, role=access.role_name(level)
    )


def permit(widget: QWidget | QAction, access: Access, level: str, enabled: bool = True) -> None:
    """Enable ``widget`` when ``enabled`` and the user holds ``level``; else explain why not."""
    if widget.property(_OWN_TIP) is None:
        widget.setProperty(_OWN_TIP, widget.toolTip() if isinstance(widget, QWidget) else "")
    allowed = access.may(level)
    widget.setEnabled(enabled and allowed)
    widget.setToolTip(widget.property(_OWN_TIP) if allowed else needs_role(access, level))
