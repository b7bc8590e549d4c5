"""The Administration window wired to the server: each change its tabs ask for is carried out
through the controller (which reports success or the server's refusal back to the window), and
the lists are read again after it.

The window (widgets/admin_window.py) never touches the network; this is the one place that
knows both it and the API client.
"""

from __future__ import annotations

from collections.abc import Iterable

from godmode_common.rooms import RoomKey

from .controller import Controller
from .i18n import tr
from .net.api import ApiClient
from .widgets.admin_window import AdminWindow


async def _apply(
    api: ApiClient, name: str, change: dict[str, object], rooms: list[RoomKey] | None
) -> None:
    """A user's changes, then their rooms (the server checks the rooms against the role)."""
    if change:
        await api.change_user(name, **change)
    if rooms is not None:
        await api.assign_rooms(name, rooms)


def applied_text(name: str, change: dict[str, object], rooms: list[RoomKey] | None) -> str:
    """What *Apply* changed, every part of it: "shift1: role monitor, reports open, 3 rooms"."""
    parts = []
    if "role" in change:
        parts.append(tr("role {0}").format(change["role"]))
    if "reports" in change:
        parts.append(tr("reports open") if change["reports"] else tr("reports closed"))
    if "disabled" in change:
        parts.append(tr("disabled") if change["disabled"] else tr("enabled"))
    if rooms is not None:
        parts.append(tr("no rooms") if not rooms else tr("%1 rooms").replace("%1", str(len(rooms))))
    return tr("{0}: {1}").format(name, ", ".join(parts))


class AdminPresenter:
    def __init__(self, window: AdminWindow, controller: Controller, api: ApiClient) -> None:
        self.window = window
        self._controller = controller
        controller.users_loaded.connect(window.show_users)
        controller.keys_loaded.connect(window.show_keys)
        controller.key_created.connect(window.show_key_created)
        controller.admin_failed.connect(window.show_error)
        controller.admin_done.connect(window.show_done)
        controller.outlines_loaded.connect(window.show_outlines)
        controller.rules_loaded.connect(window.show_served)
        controller.trials_loaded.connect(window.show_trials)
        controller.outline_loaded.connect(window.show_outline)
        controller.audit_loaded.connect(window.show_audit)
        controller.rates_loaded.connect(window.show_rates)
        window.refresh_requested.connect(lambda: controller.administer())
        users, keys, rules = window.users_tab, window.keys_tab, window.rules_tab
        users.create_user_requested.connect(
            lambda name, password, role: controller.administer(
                lambda: api.create_user(name, password, role), tr("{0} added").format(name)
            )
        )
        users.apply_requested.connect(
            lambda name, change, rooms: controller.administer(
                lambda: _apply(api, name, change, rooms), applied_text(name, change, rooms)
            )
        )
        users.reset_requested.connect(
            lambda name, password: controller.administer(
                lambda: api.reset_password(name, password),
                tr("password of {0} reset").format(name),
            )
        )
        users.delete_requested.connect(
            lambda name: controller.administer(
                lambda: api.delete_user(name), tr("{0} deleted").format(name)
            )
        )
        keys.create_key_requested.connect(
            lambda name: controller.administer(lambda: api.create_key(name))
        )
        keys.revoke_key_requested.connect(
            lambda name: controller.administer(
                lambda: api.revoke_key(name), tr("key {0} revoked").format(name)
            )
        )

        rates = window.rates_tab
        rates.payout_requested.connect(
            lambda platform, room, rate, start: controller.administer(
                lambda: api.set_payout_rate(platform, room, rate, start),
                tr("{0}: {1} USD per token").format(
                    f"{room}@{platform}" if room else platform, rate
                ),
            )
        )
        rates.currency_requested.connect(
            lambda code, units, start: controller.administer(
                lambda: api.set_currency_rate(code, units, start),
                tr("{0}: {1} per US dollar").format(code, units),
            )
        )

        rules.try_requested.connect(controller.try_on_outline)
        rules.outline_requested.connect(controller.load_outline)
        rules.publish_requested.connect(
            lambda document: controller.administer(
                lambda: api.publish_selectors(document),
                tr("reading rules version {0} published to every collector").format(
                    document["version"]
                ),
            )
        )

    def refresh(self, known_rooms: Iterable[RoomKey]) -> None:
        """Opened (again): the rooms the grid knows to pick from, and the lists read afresh."""
        self.window.set_known_rooms(known_rooms)
        self._controller.administer()
