"""User packages (M1-M11) and their subject add-ons (M10) billed on their own: ``activation``,
``counts`` (user counts and the over-capacity rule), ``upgrade`` (mid-year, both options),
``notice`` (size at the renewal, cancellation), ``full_package`` (with the add-on refunds),
``status`` (what the school's admin sees), ``addons``, ``over_capacity`` (the list of packages over
their size); ``common`` holds what they share.

Every use case is one transaction with an audit entry; every quote shows exactly what the use
case would write. Rules and readings: ``domain/packages.py``.
"""
